// A fake Twilio caller speaking the real Media Streams protocol over a real WebSocket, with a correct
// X-Twilio-Signature on the upgrade. It sends connected/start/media/dtmf/stop, plays scripted audio as 20 ms mu-law
// frames (real time or faster), and records what HERMES sends: media frames (with arrival times), marks and clears.
// Like Twilio it echoes a mark once the audio queued before it would have finished playing, and on `clear` it drops
// its buffer and returns every pending mark at once.
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import WebSocket, { type ClientOptions } from 'ws';
import { FRAME_BYTES } from '../../src/audio/energy.js';
import { makeSilence, makeSpeech } from '../../src/audio/tones.js';
import { Waiters } from './waiters.js';

export interface CallerOptions {
  /** ws://127.0.0.1:<port> of the HERMES server. */
  serverUrl: string;
  /** PUBLIC_URL the server validates against (https://...); the upgrade is signed for its wss:// form. */
  publicUrl: string;
  authToken: string;
  callSid?: string;
  /** customParameters of the start message (what our TwiML put in <Parameter>s). */
  params?: Record<string, string>;
  /** 1 = real time; 4 = four times faster than real time (fake Deepgram works in audio time). */
  speed?: number;
  /** Sign the upgrade with this token instead (tests of refusal). */
  signWith?: string | null;
  /** Echo marks (as Twilio does); off only to test lost marks. */
  echoMarks?: boolean;
  /** Extra socket options (wss:// through nginx with its test certificate: rejectUnauthorized false). */
  socket?: ClientOptions;
}

export interface ReceivedFrame {
  at: number;
  bytes: number;
  /** Index of the last clear received before this frame (-1 for none). */
  afterClear: number;
}

export const newCallSid = (): string => `CA${randomBytes(16).toString('hex')}`;

export class FakeTwilioCaller {
  readonly callSid: string;
  readonly streamSid = `MZ${randomBytes(16).toString('hex')}`;
  readonly frames: ReceivedFrame[] = [];
  readonly marksReceived: { name: string; at: number }[] = [];
  readonly marksEchoed: { name: string; at: number; cleared: boolean }[] = [];
  readonly clears: number[] = [];
  readonly errors: string[] = [];
  /** When the socket opened (performance.now()), null before. */
  openedAt: number | null = null;
  closedAt: number | null = null;
  closeCode: number | null = null;
  private ws!: WebSocket;
  private seq = 0;
  private chunk = 0;
  private playEnd = 0;
  private pendingMarks: { name: string; timer: NodeJS.Timeout }[] = [];
  private sending: Promise<void> = Promise.resolve();
  private readonly speed: number;
  private readonly waiters = new Waiters();

  constructor(private readonly o: CallerOptions) {
    this.callSid = o.callSid ?? newCallSid();
    this.speed = o.speed ?? 1;
  }

  /** Opens the signed socket and sends connected + start. */
  async connect(): Promise<void> {
    const path = '/twilio/media';
    const wsUrl = this.o.publicUrl.replace(/^http/, 'ws').replace(/\/$/, '') + path;
    const token = this.o.signWith === undefined ? this.o.authToken : this.o.signWith;
    const headers: Record<string, string> = {};
    if (token) headers['X-Twilio-Signature'] = twilio.getExpectedTwilioSignature(token, wsUrl, {});
    this.ws = new WebSocket(this.o.serverUrl.replace(/\/$/, '') + path, { ...this.o.socket, headers, perMessageDeflate: false });
    this.ws.on('message', (d) => this.onMessage(d.toString()));
    this.ws.on('close', (code) => {
      this.closedAt = performance.now();
      this.closeCode = code;
      for (const m of this.pendingMarks) clearTimeout(m.timer);
      this.pendingMarks = [];
      this.waiters.notify();
    });
    await new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    this.ws.on('error', (e) => this.errors.push(e.message));
    this.openedAt = performance.now();
    this.sendJson({ event: 'connected', protocol: 'Call', version: '1.0.0' });
    this.sendJson({
      event: 'start',
      sequenceNumber: String(++this.seq),
      streamSid: this.streamSid,
      start: {
        accountSid: 'AC' + '0'.repeat(32),
        streamSid: this.streamSid,
        callSid: this.callSid,
        tracks: ['inbound'],
        customParameters: { callSid: this.callSid, ...this.o.params },
        mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
      },
    });
  }

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  /** Sends raw text (fuzzing). */
  sendRaw(data: string | Buffer, binary = false): void {
    if (this.open) this.ws.send(data, { binary });
  }

  /** Queues audio as 20 ms media frames, paced at `speed` x real time; resolves when the last frame is sent. */
  sendAudio(muLaw: Buffer): Promise<void> {
    this.sending = this.sending.then(async () => {
      const frameMs = 20 / this.speed;
      const start = performance.now();
      let n = 0;
      for (let i = 0; i < muLaw.length && this.open; i += FRAME_BYTES) {
        const frame = muLaw.subarray(i, Math.min(i + FRAME_BYTES, muLaw.length));
        this.sendJson({
          event: 'media',
          sequenceNumber: String(++this.seq),
          streamSid: this.streamSid,
          media: { track: 'inbound', chunk: String(++this.chunk), timestamp: String(this.chunk * 20), payload: frame.toString('base64') },
        });
        n++;
        const due = start + n * frameMs;
        const wait = due - performance.now();
        if (wait > 1) await sleep(wait);
      }
    });
    return this.sending;
  }

  /** Speech-like audio the fake Deepgram hears as talking (its transcript comes from the fake's script). */
  speak(ms: number, seed = 7): Promise<void> {
    return this.sendAudio(makeSpeech(ms, seed));
  }

  silence(ms: number): Promise<void> {
    return this.sendAudio(makeSilence(ms));
  }

  dtmf(digit: string): void {
    this.sendJson({ event: 'dtmf', sequenceNumber: String(++this.seq), streamSid: this.streamSid, dtmf: { track: 'inbound_track', digit } });
  }

  /** Hangs up the way Twilio reports it: a stop message, then the socket closes. */
  async hangup(): Promise<void> {
    this.sendJson({ event: 'stop', sequenceNumber: String(++this.seq), streamSid: this.streamSid, stop: { accountSid: 'AC' + '0'.repeat(32), callSid: this.callSid } });
    await this.close();
  }

  /** Closes the socket without stop (network loss). */
  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    await new Promise<void>((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close(1000);
    });
  }

  /** Milliseconds of agent audio received so far. */
  get audioMs(): number {
    return this.frames.length * 20;
  }

  /** Waits until `pred` holds (checked on every message and on a short poll) or times out. */
  waitFor(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    return this.waiters.until(pred, timeoutMs, `fake caller ${this.callSid}: timed out waiting for ${what}`);
  }

  /** Waits for agent audio to start and then stop for `quietMs` (a prompt has been fully played). */
  async waitForPrompt(timeoutMs = 8000, quietMs = 300): Promise<void> {
    const before = this.frames.length;
    // A prompt sent ahead of playback may have arrived whole already: its marks still pending means it is playing.
    await this.waitFor(() => this.frames.length > before || this.pendingMarks.length > 0, timeoutMs, 'agent audio');
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const last = this.frames[this.frames.length - 1]!.at;
      const quiet = performance.now() - last;
      if (quiet >= quietMs && this.pendingMarks.length === 0) return;
      if (performance.now() > deadline) throw new Error(`fake caller ${this.callSid}: prompt did not end`);
      await sleep(Math.max(10, quietMs - quiet));
    }
  }

  private onMessage(text: string): void {
    let m: { event?: string; media?: { payload?: string }; mark?: { name?: string } };
    try {
      m = JSON.parse(text);
    } catch {
      this.errors.push(`non-JSON message: ${text.slice(0, 40)}`);
      return;
    }
    const now = performance.now();
    if (m.event === 'media') {
      const bytes = Buffer.from(m.media?.payload ?? '', 'base64').length;
      // One entry per 20 ms of audio, whatever the chunking of the message.
      for (let left = bytes; left > 0; left -= FRAME_BYTES) this.frames.push({ at: now, bytes: Math.min(left, FRAME_BYTES), afterClear: this.clears.length - 1 });
      // Twilio plays its buffer in order at real time: this frame ends 20 ms after the later of now and the last end.
      this.playEnd = Math.max(this.playEnd, now) + (bytes / 8000) * 1000;
    } else if (m.event === 'mark') {
      const name = m.mark?.name ?? '';
      this.marksReceived.push({ name, at: now });
      if (this.o.echoMarks ?? true) {
        const p = { name, timer: setTimeout(() => this.echo(p, false), Math.max(0, this.playEnd - now)) };
        this.pendingMarks.push(p);
      }
    } else if (m.event === 'clear') {
      this.clears.push(now);
      this.playEnd = now;
      for (const p of this.pendingMarks.splice(0)) {
        clearTimeout(p.timer);
        this.echo(p, true);
      }
    } else {
      this.errors.push(`unexpected event ${String(m.event)}`);
    }
    this.waiters.notify();
  }

  private echo(p: { name: string; timer: NodeJS.Timeout }, cleared: boolean): void {
    const i = this.pendingMarks.indexOf(p);
    if (i >= 0) this.pendingMarks.splice(i, 1);
    this.marksEchoed.push({ name: p.name, at: performance.now(), cleared });
    this.sendJson({ event: 'mark', sequenceNumber: String(++this.seq), streamSid: this.streamSid, mark: { name: p.name } });
    this.waiters.notify();
  }

  private sendJson(m: unknown): void {
    if (this.open) this.ws.send(JSON.stringify(m));
  }

}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Headers and body of a correctly signed Twilio webhook POST. */
export function signedForm(authToken: string, url: string, params: Record<string, string>): { headers: Record<string, string>; body: string } {
  return {
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(authToken, url, params),
    },
    body: new URLSearchParams(params).toString(),
  };
}
