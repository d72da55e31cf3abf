// A fake of Twilio's voice engine running the caller's leg of a call on the <Gather> channel: it runs the TwiML HERMES
// answers the way Twilio does: <Say> and <Play> are heard (a <Play> URL is fetched with GET, unsigned, as Twilio
// fetches media, and must answer audio); <Gather input="speech dtmf"> plays its nested verbs, then the caller answers
// the next line of the script (SpeechResult + Confidence, or Digits), and the fake POSTs the <Gather action> signed
// like every Twilio webhook; a <Gather> the caller lets time out is posted empty when actionOnEmptyResult="true",
// else the document goes on with the next verb. <Connect><Stream> opens a signed media stream (the call began on
// Media Streams) and, once HERMES closes it, requests <Connect action> and runs the answer. <Dial> is recorded and
// its action requested with DialCallStatus=no-answer; <Hangup/> or a document that runs out of verbs ends the call.
//
// Facts beyond ../../shared/reference/twilio-calls.md, with their public source:
// - https://www.twilio.com/docs/voice/twiml/gather: without actionOnEmptyResult="true" a <Gather> that receives no
//   input falls through to the next verb; with it, Twilio requests the action without SpeechResult or Digits.
//   `timeout` (default 5 s) is the silence before that; speech ends after `speechTimeout` ("auto": Twilio decides).
//   The action request carries the call's standard parameters plus SpeechResult and Confidence for speech, Digits for
//   keys. Input interrupts nested <Say>/<Play> (bargeIn defaults to true); the fake plays them whole.
// - https://www.twilio.com/docs/voice/twiml/play and https://www.twilio.com/docs/errors/13420: Twilio retrieves the
//   file from the URL and needs an audio Content-Type (error 13420 otherwise); the fake accepts audio/* only.
// - https://www.twilio.com/docs/usage/security: Twilio signs its webhook requests (X-Twilio-Signature); media
//   fetches for <Play> are not webhooks (GUESS: unsigned), so the fake sends them without a signature.
import { FakeTwilioCaller, signedForm, type CallerOptions } from './twilio-caller.js';
import { parseTwiml as parse, type TwimlNode as Node } from './twiml.js';

/** What the caller does at a <Gather>: says something, presses keys, or stays silent (null). */
export type GatherAnswer = { speech: string; confidence?: number } | { digits: string } | null;

export interface GatherHeard {
  verb: 'Say' | 'Play';
  text: string;
  language: string | null;
  /** A <Play>'s audio as fetched (WAV bytes). */
  audio?: Buffer;
}

export interface FakeGatherOptions {
  publicUrl: string;
  authToken: string;
  accountSid: string;
  /** POSTs a signed form (app.inject in tests). */
  post(pathAndQuery: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }>;
  /** GETs a media URL's path and query. */
  get(pathAndQuery: string): Promise<{ status: number; contentType: string; body: Buffer }>;
  /** The caller's next move at the n-th <Gather> (0-based); called once per <Gather>. */
  answer(n: number, g: GatherRecord): GatherAnswer;
  from: string;
  to: string;
  /** ws://127.0.0.1:<port> of HERMES, for a <Connect><Stream>. */
  serverUrl?: string;
  stream?: Partial<CallerOptions>;
}

export interface GatherRecord {
  attrs: Record<string, string>;
  /** Lines heard inside this <Gather> before the caller answered. */
  heard: GatherHeard[];
  answer: GatherAnswer;
  /** Milliseconds from sending the action to its TwiML (the turn's round trip inside HERMES). */
  roundTripMs: number | null;
}

export class FakeGatherCaller {
  readonly heard: GatherHeard[] = [];
  readonly gathers: GatherRecord[] = [];
  readonly dials: string[] = [];
  readonly requests: string[] = [];
  readonly streams: FakeTwilioCaller[] = [];
  ended = false;
  private running: Promise<void> = Promise.resolve();
  private failure: Error | null = null;

  constructor(
    readonly callSid: string,
    private readonly o: FakeGatherOptions,
  ) {}

  /** Runs a TwiML document on the caller's leg (after anything still running). */
  run(twiml: string): Promise<void> {
    this.running = this.running.then(() => this.runDoc(parse(twiml))).catch((err: Error) => {
      this.failure = err;
      this.ended = true;
    });
    return this.running;
  }

  /** Resolves when the call has ended (Hangup, no more verbs); rejects with what went wrong in the fake. */
  async done(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended && Date.now() < deadline) await sleep(20);
    await this.running;
    if (this.failure) throw this.failure;
    if (!this.ended) throw new Error('call still running');
  }

  /** Twilio hangs up the caller (the caller put the phone down): HERMES hears it from the status callback only. */
  hangUp(): void {
    this.ended = true;
  }

  private base(): Record<string, string> {
    return { AccountSid: this.o.accountSid, CallSid: this.callSid, From: this.o.from, To: this.o.to, CallStatus: 'in-progress', Direction: 'inbound', ApiVersion: '2010-04-01' };
  }

  private async request(url: string, params: Record<string, string>): Promise<string> {
    const path = this.pathOf(url);
    this.requests.push(path);
    const f = signedForm(this.o.authToken, url, params);
    const res = await this.o.post(path, f.headers, f.body);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body}`);
    return res.body;
  }

  private pathOf(url: string): string {
    if (!url.startsWith(this.o.publicUrl)) throw new Error(`TwiML names a URL outside PUBLIC_URL: ${url}`);
    return url.slice(this.o.publicUrl.replace(/\/$/, '').length);
  }

  private async hear(verb: Node, into: GatherHeard[]): Promise<void> {
    const text = verb.text.trim();
    if (verb.name === 'Say') {
      into.push({ verb: 'Say', text, language: verb.attrs.language ?? null });
      return;
    }
    const res = await this.o.get(this.pathOf(text));
    if (res.status !== 200) throw new Error(`<Play> ${text} answered ${res.status}`);
    if (!res.contentType.startsWith('audio/')) throw new Error(`<Play> got ${res.contentType} (Twilio error 13420)`);
    into.push({ verb: 'Play', text, language: null, audio: res.body });
  }

  private async runDoc(doc: Node): Promise<void> {
    for (const verb of doc.children) {
      if (this.ended) return;
      switch (verb.name) {
        case 'Say':
        case 'Play':
          await this.hear(verb, this.heard);
          break;
        case 'Pause':
          break;
        case 'Hangup':
          this.ended = true;
          return;
        case 'Gather': {
          const g: GatherRecord = { attrs: verb.attrs, heard: [], answer: null, roundTripMs: null };
          for (const c of verb.children) if (c.name === 'Say' || c.name === 'Play') await this.hear(c, g.heard);
          this.heard.push(...g.heard);
          g.answer = this.o.answer(this.gathers.length, g);
          this.gathers.push(g);
          if (this.ended) return;
          if (!verb.attrs.action) throw new Error('<Gather> without action');
          const a = g.answer;
          if (a === null && verb.attrs.actionOnEmptyResult !== 'true') break; // falls through to the next verb
          const params = { ...this.base(), ...(a && 'speech' in a ? { SpeechResult: a.speech, Confidence: String(a.confidence ?? 0.92) } : {}), ...(a && 'digits' in a ? { Digits: a.digits } : {}) };
          const sent = performance.now();
          const next = await this.request(verb.attrs.action, params);
          g.roundTripMs = performance.now() - sent;
          return this.runDoc(parse(next));
        }
        case 'Dial': {
          const to = (verb.children.find((c) => c.name === 'Number')?.text ?? verb.text).trim();
          this.dials.push(to);
          if (!verb.attrs.action) break;
          return this.runDoc(parse(await this.request(verb.attrs.action, { ...this.base(), DialCallStatus: 'no-answer', DialCallDuration: '0' })));
        }
        case 'Connect': {
          const stream = verb.children.find((c) => c.name === 'Stream');
          if (!stream || !this.o.serverUrl) throw new Error('<Connect> without <Stream>, or no server to stream to');
          const params: Record<string, string> = {};
          for (const p of stream.children.filter((c) => c.name === 'Parameter')) params[p.attrs.name!] = p.attrs.value ?? '';
          const caller = new FakeTwilioCaller({ serverUrl: this.o.serverUrl, publicUrl: this.o.publicUrl, authToken: this.o.authToken, callSid: this.callSid, params, speed: 2, ...this.o.stream });
          this.streams.push(caller);
          await caller.connect().catch(() => undefined);
          // The stream lasts until HERMES closes it; then <Connect> ends and Twilio asks its action what next.
          await caller.waitFor(() => caller.closedAt !== null || this.ended, 60_000, 'stream end');
          if (this.ended) return;
          if (!verb.attrs.action) break;
          return this.runDoc(parse(await this.request(verb.attrs.action, this.base())));
        }
        default:
          throw new Error(`the fake does not play <${verb.name}>`);
      }
    }
    // Twilio hangs up when a document runs out of verbs.
    this.ended = true;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
