// One Twilio Media Streams WebSocket: parses Twilio's JSON messages (connected, start, media, dtmf, mark, stop) and
// hands them to the call's session; sends media, mark and clear back. A malformed or oversized message, an unknown
// event or media before start is counted (hermes_media_messages_rejected_total) and skipped, never a crash. A socket
// that closes without `stop` (a dropped connection: the call itself goes on at Twilio) suspends the session: its
// snapshot is kept so Twilio's <Connect action> can carry the call on over a new stream, on any instance. Per media frame: one JSON.parse, one base64 decode, no logging.
// A start is admitted only through the StreamGate (stream token + a live call row of ours); a refused start closes
// the socket (1008) without a session, a Deepgram stream or a Twilio REST request.
import type { WebSocket, RawData } from 'ws';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { CallRuntime } from '../call/runtime.js';
import type { CallSession } from '../call/session.js';
import type { MediaOut } from '../call/ports.js';
import { displayParams, type StartRefusal, type StreamGate } from './stream-gate.js';

/** Larger messages are skipped without parsing; Twilio's largest (start) is well under 4 KiB. */
export const MAX_MESSAGE_BYTES = 16 * 1024;
/** Frames that arrive while the session is being built are kept (not lost) up to this many (1 s). */
const MAX_EARLY_FRAMES = 50;

const MEDIA_PREFIX = Buffer.from('{"event":"media"');
const PAYLOAD_KEY = Buffer.from('"payload":"');
const INBOUND_TRACK = Buffer.from('"track":"inbound"');
const QUOTE = 0x22;

type RejectReason =
  | 'malformed' | 'oversized' | 'binary' | 'unknown_event' | 'before_start' | 'duplicate_start' | 'bad_payload'
  | `start_${StartRefusal}`;

interface TwilioMessage {
  event?: unknown;
  streamSid?: unknown;
  start?: { callSid?: unknown; streamSid?: unknown; customParameters?: unknown };
  media?: { payload?: unknown; track?: unknown };
  dtmf?: { digit?: unknown };
  mark?: { name?: unknown };
}

export class MediaStreamConnection {
  private session: CallSession | null = null;
  private starting = false;
  private early: Buffer[] = [];
  private streamSid = '';
  private done = false;
  /** The socket went without `stop` (the call itself goes on): the session is suspended, not ended. */
  private lost = false;
  private readonly log: Logger;

  constructor(
    private readonly ws: WebSocket,
    private readonly runtime: CallRuntime,
    private readonly metrics: Metrics,
    log: Logger,
    private readonly gate: StreamGate,
  ) {
    this.log = log;
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => void this.finish('stream closed without stop', true));
    ws.on('error', (err: Error & { code?: string }) => {
      // ws reports oversize (maxPayload) and protocol errors here and then closes the socket.
      this.reject(err.code === 'WS_ERR_UNSUPPORTED_MESSAGE_LENGTH' ? 'oversized' : 'malformed');
    });
  }

  private reject(reason: RejectReason): void {
    this.metrics.mediaRejected.inc({ reason });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.reject('binary');
    const len = Array.isArray(data) ? data.reduce((n, b) => n + b.length, 0) : (data as Buffer).byteLength;
    if (len > MAX_MESSAGE_BYTES) return this.reject('oversized');
    // Fast path for the 50-per-second media message once the call runs: find the payload without parsing the JSON.
    // Anything that does not look exactly like Twilio's media message takes the full parse below.
    if (this.session !== null && Buffer.isBuffer(data) && data.indexOf(MEDIA_PREFIX) === 0) {
      const at = data.indexOf(PAYLOAD_KEY);
      const end = at < 0 ? -1 : data.indexOf(QUOTE, at + PAYLOAD_KEY.length);
      if (end > at && data.indexOf(INBOUND_TRACK) > 0) {
        const frame = Buffer.from(data.toString('latin1', at + PAYLOAD_KEY.length, end), 'base64');
        if (frame.length === 0) return this.reject('bad_payload');
        return this.session.audio(frame);
      }
    }
    let msg: TwilioMessage;
    try {
      msg = JSON.parse(Array.isArray(data) ? Buffer.concat(data).toString('utf8') : data.toString()) as TwilioMessage;
    } catch {
      return this.reject('malformed');
    }
    if (msg === null || typeof msg !== 'object') return this.reject('malformed');
    switch (msg.event) {
      case 'media':
        return this.onMedia(msg);
      case 'mark': {
        const name = msg.mark?.name;
        if (typeof name !== 'string') return this.reject('malformed');
        if (!this.session) return this.reject('before_start');
        return this.session.markEcho(name);
      }
      case 'dtmf': {
        const digit = msg.dtmf?.digit;
        if (typeof digit !== 'string' || !/^[0-9*#A-D]$/.test(digit)) return this.reject('malformed');
        if (!this.session) return this.reject('before_start');
        return this.session.dtmf(digit);
      }
      case 'start':
        return this.onStart(msg);
      case 'stop':
        void this.finish('caller hung up (stop)');
        return;
      case 'connected':
        return;
      default:
        return this.reject(typeof msg.event === 'string' ? 'unknown_event' : 'malformed');
    }
  }

  private onMedia(msg: TwilioMessage): void {
    const payload = msg.media?.payload;
    if (typeof payload !== 'string' || payload.length === 0) return this.reject('bad_payload');
    if (msg.media?.track !== undefined && msg.media.track !== 'inbound') return; // only the caller's audio is ours
    const frame = Buffer.from(payload, 'base64');
    if (frame.length === 0) return this.reject('bad_payload'); // nothing decodable in it
    if (this.session) return this.session.audio(frame);
    if (!this.starting) return this.reject('before_start');
    if (this.early.length < MAX_EARLY_FRAMES) this.early.push(frame);
  }

  private onStart(msg: TwilioMessage): void {
    if (this.session || this.starting || this.done) return this.reject('duplicate_start');
    const start = msg.start;
    const callSid = start?.callSid;
    const streamSid = start?.streamSid ?? msg.streamSid;
    if (typeof callSid !== 'string' || typeof streamSid !== 'string' || !callSid || !streamSid) return this.reject('malformed');
    if (callSid.length > 64 || streamSid.length > 64) return this.reject('malformed');
    const params: Record<string, string> = {};
    const cp = start?.customParameters;
    if (cp && typeof cp === 'object') {
      for (const [k, v] of Object.entries(cp as Record<string, unknown>)) if (typeof v === 'string') params[k] = v;
    }
    this.starting = true;
    this.streamSid = streamSid;
    const log = this.log.child({ callSid: callSid.slice(0, 64) });
    this.gate
      .admit(callSid, streamSid, params)
      .then((admission) => {
        if (!admission.ok) {
          // Not a live call of ours: no session, no speech stream and no REST request for a CallSid we cannot vouch for.
          this.starting = false;
          this.early = [];
          this.reject(`start_${admission.reason}`);
          log.warn({ reason: admission.reason, params: displayParams(params) }, 'media stream start refused');
          this.done = true;
          if (this.ws.readyState === this.ws.OPEN) this.ws.close(1008, 'stream not admitted');
          return;
        }
        return this.runtime
          .open({ call: admission.call, streamSid, out: this.mediaOut(streamSid) })
          .then((session) => {
            this.session = session;
            this.starting = false;
            for (const f of this.early.splice(0)) session.audio(f);
            if (this.done) void this.closeSession(session, 'stream closed during start', this.lost);
          })
          .catch((err: Error) => {
            this.starting = false;
            log.error({ err: err.message }, 'could not start the call session; Twilio speaks an apology and the call ends');
            // A call never goes silent: with REST credentials, Twilio's own voice apologises before the stream closes.
            // The CallSid is a live call of ours here: the gate admitted it and the row is claimed by this stream.
            const control = this.runtime.deps.control;
            const done = control
              ? control.sayAndHangup(callSid, ["We're sorry, we can't take your call right now. Please call again later."])
              : Promise.resolve();
            done
              .catch((e: Error) => log.error({ err: e.message }, 'apology over REST failed'))
              .finally(() => this.ws.close(1011, 'session unavailable'));
          });
      })
      .catch((err: Error) => {
        // The database could not say whether the call is ours: refuse rather than trust the wire.
        this.starting = false;
        this.reject('start_no_records');
        log.error({ err: err.message }, 'media stream start could not be checked; refused');
        this.done = true;
        if (this.ws.readyState === this.ws.OPEN) this.ws.close(1011, 'stream not admitted');
      });
  }

  private async finish(reason: string, lost = false): Promise<void> {
    if (this.done) return;
    this.done = true;
    this.lost = lost;
    this.early = [];
    const s = this.session;
    if (s) await this.closeSession(s, reason, lost);
    if (this.ws.readyState === this.ws.OPEN) this.ws.close(1000);
  }

  private async closeSession(s: CallSession, reason: string, lost = false): Promise<void> {
    try {
      await (lost ? s.suspend(reason) : s.close(reason));
    } finally {
      this.runtime.release(s.callSid, s);
    }
  }

  /** Outbound messages with the constant parts pre-built: a frame costs one base64 encode and one concatenation. */
  private mediaOut(streamSid: string): MediaOut {
    const ws = this.ws;
    const sid = JSON.stringify(streamSid);
    const mediaHead = `{"event":"media","streamSid":${sid},"media":{"payload":"`;
    const clearMsg = `{"event":"clear","streamSid":${sid}}`;
    const open = () => ws.readyState === ws.OPEN;
    return {
      sendMedia(frame) {
        if (open()) ws.send(mediaHead + frame.toString('base64') + '"}}');
      },
      sendMark(name) {
        if (open()) ws.send(`{"event":"mark","streamSid":${sid},"mark":{"name":${JSON.stringify(name)}}}`);
      },
      sendClear() {
        if (open()) ws.send(clearMsg);
      },
      close() {
        if (open()) ws.close(1000, 'call ended');
      },
    };
  }
}
