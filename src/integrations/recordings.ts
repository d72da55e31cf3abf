// Call recordings through Twilio's REST API: start one on a live call (dual channel: caller and HERMES on their own
// tracks, with a status callback to us), delete one (the purge and the caller erasure), and fetch its audio for the
// staff app. The media URL is built from our account and the RecordingSid, never taken from a stored URL, so the
// player can only ever reach Twilio's recordings of this account.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { rebaseTwilioUrl, twilioClient, type TwilioCredentials } from './twilio-client.js';

export type RecordingFormat = 'mp3' | 'wav';

export interface RecordingMedia {
  contentType: string;
  contentLength: number | null;
  body: Readable;
}

export interface TwilioRecordings {
  /** Starts recording a live call; Twilio reports to `statusCallbackUrl`. Returns the RecordingSid. */
  start(callSid: string, statusCallbackUrl: string): Promise<string>;
  /** Deletes the recording at Twilio; a recording Twilio no longer has (404) counts as deleted. */
  remove(recordingSid: string): Promise<void>;
  /** The recording's audio as Twilio serves it, or null when Twilio has none (404). */
  media(recordingSid: string, format: RecordingFormat, signal?: AbortSignal): Promise<RecordingMedia | null>;
}

export class RecordingFetchError extends Error {
  constructor(readonly status: number) {
    super(`Twilio answered ${status} for the recording media`);
    this.name = 'RecordingFetchError';
  }
}

export function createTwilioRecordings(cfg: TwilioCredentials): TwilioRecordings {
  // Built on first use: a server without Twilio credentials still starts, and only recording fails.
  let client: ReturnType<typeof twilioClient> | null = null;
  const sdk = () => (client ??= twilioClient(cfg));
  return {
    async start(callSid, statusCallbackUrl) {
      const r = await sdk().calls(callSid).recordings.create({
        recordingChannels: 'dual',
        recordingStatusCallback: statusCallbackUrl,
        recordingStatusCallbackMethod: 'POST',
        recordingStatusCallbackEvent: ['in-progress', 'completed', 'absent'],
      });
      return r.sid;
    },
    async remove(recordingSid) {
      try {
        await sdk().recordings(recordingSid).remove();
      } catch (err) {
        if ((err as { status?: number }).status === 404) return;
        throw err;
      }
    },
    async media(recordingSid, format, signal) {
      const url = rebaseTwilioUrl(`https://api.twilio.com/2010-04-01/Accounts/${cfg.twilioAccountSid}/Recordings/${recordingSid}.${format}`, cfg.twilioApiBaseUrl);
      const auth = Buffer.from(`${cfg.twilioAccountSid}:${cfg.twilioAuthToken}`).toString('base64');
      // Twilio answers the media URL with a redirect to its storage; fetch follows it (without our credentials
      // going to another host: fetch drops Authorization on a cross-origin redirect).
      const res = await fetch(url, { headers: { authorization: `Basic ${auth}` }, ...(signal ? { signal } : {}) });
      if (res.status === 404) return null;
      if (!res.ok || !res.body) throw new RecordingFetchError(res.status);
      const length = res.headers.get('content-length');
      return {
        contentType: res.headers.get('content-type') ?? (format === 'mp3' ? 'audio/mpeg' : 'audio/x-wav'),
        contentLength: length && /^\d+$/.test(length) ? Number(length) : null,
        body: Readable.fromWeb(res.body as WebReadableStream<Uint8Array>),
      };
    },
  };
}
