// Twilio's Recordings resources on the fake REST server (twilio-rest.ts), in Twilio's wire format:
//   POST   /2010-04-01/Accounts/{AC}/Calls/{CA}/Recordings.json  (calls(sid).recordings.create) -> 201 recording JSON
//   DELETE /2010-04-01/Accounts/{AC}/Recordings/{RE}.json         (recordings(sid).remove)        -> 204, 404 if gone
//   GET    /2010-04-01/Accounts/{AC}/Recordings/{RE}.mp3|.wav     media, as Twilio serves it (a redirect to storage)
// and, like Twilio, the recording status callbacks: signed form POSTs to the RecordingStatusCallback the create named,
// for the events it asked for (in-progress at once, completed when the test says the call ended).
import { randomBytes } from 'node:crypto';
import { signedForm } from './twilio-caller.js';
import type { FakeTwilioRest } from './twilio-rest.js';

export interface FakeRecording {
  sid: string;
  callSid: string;
  /** Form fields of the create request (RecordingChannels, RecordingStatusCallback, ...). */
  params: Record<string, string>;
  /** RecordingStatusCallbackEvent values (repeated in the form). */
  events: string[];
  status: 'in-progress' | 'completed' | 'deleted';
  createdAt: number;
  media: Buffer;
}

export interface FakeRecordings {
  recordings: FakeRecording[];
  deleted: string[];
  /** Media GETs served (path). */
  mediaRequests: string[];
  /** Ends the recording as Twilio does when the call ends: completed callback with the duration. */
  complete(sid: string, durationS: number): Promise<number>;
}

/** Delivers a signed callback (the test's app.inject) and returns the HTTP status HERMES answered. */
export type PostSigned = (path: string, headers: Record<string, string>, payload: string) => Promise<number>;

export function addFakeRecordings(rest: FakeTwilioRest, o: { accountSid: string; authToken: string; publicUrl: string; post: PostSigned }): FakeRecordings {
  const recordings: FakeRecording[] = [];
  const deleted: string[] = [];
  const mediaRequests: string[] = [];
  const base = `/2010-04-01/Accounts/${o.accountSid}`;
  const json = (r: FakeRecording) => ({
    account_sid: o.accountSid, api_version: '2010-04-01', call_sid: r.callSid, conference_sid: null, channels: r.params.RecordingChannels === 'dual' ? 2 : 1,
    date_created: new Date(r.createdAt).toUTCString(), date_updated: new Date().toUTCString(), start_time: new Date(r.createdAt).toUTCString(),
    duration: '-1', sid: r.sid, price: null, price_unit: 'USD', status: r.status, source: 'StartCallRecordingAPI', error_code: null, track: 'both',
    encryption_details: null, uri: `${base}/Calls/${r.callSid}/Recordings/${r.sid}.json`,
  });

  async function callback(r: FakeRecording, status: string, durationS?: number): Promise<number> {
    const url = r.params.RecordingStatusCallback;
    if (!url) return 0;
    const params: Record<string, string> = {
      AccountSid: o.accountSid, CallSid: r.callSid, RecordingSid: r.sid, RecordingUrl: `https://api.twilio.com${base}/Recordings/${r.sid}`,
      RecordingStatus: status, RecordingChannels: r.params.RecordingChannels === 'dual' ? '2' : '1', RecordingStartTime: new Date(r.createdAt).toUTCString(),
      RecordingSource: 'StartCallRecordingAPI', ErrorCode: '0', ...(durationS !== undefined ? { RecordingDuration: String(durationS) } : {}),
    };
    const f = signedForm(o.authToken, url, params);
    return o.post(url.slice(o.publicUrl.length), f.headers, f.body);
  }

  rest.routes.push((req, body, res) => {
    const url = req.url ?? '';
    const create = new RegExp(`^${base}/Calls/(CA\\w+)/Recordings\\.json$`).exec(url);
    if (req.method === 'POST' && create) {
      const form = new URLSearchParams(body);
      const r: FakeRecording = {
        sid: `RE${randomBytes(16).toString('hex')}`, callSid: create[1]!, params: Object.fromEntries(form), events: form.getAll('RecordingStatusCallbackEvent'),
        status: 'in-progress', createdAt: Date.now(), media: Buffer.concat([Buffer.from('ID3'), randomBytes(2048)]),
      };
      recordings.push(r);
      res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(json(r)));
      if (r.events.includes('in-progress')) setImmediate(() => void callback(r, 'in-progress'));
      return true;
    }
    const one = new RegExp(`^${base}/Recordings/(RE\\w+)\\.(json|mp3|wav)$`).exec(url);
    if (!one) {
      // Twilio's media lives in storage it redirects to; the fake's storage answers without credentials.
      const stored = /^\/storage\/(RE\w+)\.(mp3|wav)$/.exec(url);
      const r = stored ? recordings.find((x) => x.sid === stored[1] && x.status !== 'deleted') : undefined;
      if (!stored) return false;
      if (!r) res.writeHead(404).end();
      else res.writeHead(200, { 'content-type': stored[2] === 'mp3' ? 'audio/mpeg' : 'audio/x-wav', 'content-length': String(r.media.length) }).end(r.media);
      return true;
    }
    const r = recordings.find((x) => x.sid === one[1] && x.status !== 'deleted');
    if (!r) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"code":20404,"message":"The requested resource was not found","status":404}');
      return true;
    }
    if (req.method === 'DELETE' && one[2] === 'json') {
      r.status = 'deleted';
      deleted.push(r.sid);
      res.writeHead(204).end();
      return true;
    }
    if (req.method === 'GET' && one[2] !== 'json') {
      mediaRequests.push(url);
      res.writeHead(302, { location: `/storage/${r.sid}.${one[2]}` }).end();
      return true;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(json(r)));
    return true;
  });

  return {
    recordings, deleted, mediaRequests,
    async complete(sid, durationS) {
      const r = recordings.find((x) => x.sid === sid);
      if (!r) throw new Error(`no recording ${sid}`);
      r.status = 'completed';
      return callback(r, 'completed', durationS);
    },
  };
}
