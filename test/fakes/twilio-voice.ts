// A fake of Twilio's voice engine for one inbound call and the legs it dials: it runs the TwiML HERMES hands it (from
// a REST calls(sid).update or from a webhook answer) the way Twilio does. <Say>/<Play> are recorded as heard by the
// caller; <Dial><Number url> rings each number, and for a number that answers it opens the attorney's leg: requests
// the <Number url> (whisper) with CallSid/ParentCallSid, runs its <Gather>, presses the scripted key and requests the
// <Gather action>; an empty answer bridges. Then it requests the <Dial action> with DialCallStatus (no DialBridged:
// Twilio's docs do not promise it) and runs what comes back; <Connect><Stream> opens a new signed media stream with
// the <Parameter>s as customParameters. Every request is signed like Twilio signs it. Ringing takes `ringMs`, not the
// <Dial timeout> (recorded), so tests do not wait 20 s per number.
import { randomBytes } from 'node:crypto';
import { FakeTwilioCaller, signedForm, type CallerOptions } from './twilio-caller.js';
import { parseTwiml as parse, type TwimlNode as Node } from './twiml.js';

/** What an on-call number does when rung: never answers, is busy, or answers and presses a key (null: none). */
export type Attorney = { answers: false; busy?: boolean } | { answers: true; presses: string | null; talkMs?: number };

export interface Heard {
  leg: 'caller' | 'attorney';
  /** The dialled number for an attorney leg. */
  number?: string;
  verb: 'Say' | 'Play';
  text: string;
  language: string | null;
}

export interface DialRecord {
  number: string;
  timeoutS: number | null;
  answerOnBridge: boolean;
  status: string;
}

export interface FakeTwilioVoiceOptions {
  /** Public URL HERMES validates signatures against (https://...). */
  publicUrl: string;
  authToken: string;
  accountSid: string;
  /** POSTs a signed form to a path (with its query) and returns status and body (app.inject in tests). */
  post(pathAndQuery: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }>;
  /** ws://127.0.0.1:<port> of HERMES for new media streams. */
  serverUrl: string;
  attorneys: Record<string, Attorney>;
  ringMs?: number;
  from: string;
  to: string;
  /** Options for every media stream (socket options for wss through nginx, speed). */
  stream?: Partial<CallerOptions>;
  /** Like Twilio, send the caller's line (silence between answers) all the time a stream is open. */
  continuousMedia?: boolean;
}

export class FakeTwilioVoice {
  readonly heard: Heard[] = [];
  readonly dials: DialRecord[] = [];
  /** Requests Twilio made to HERMES, in order (path with query). */
  readonly requests: string[] = [];
  /** When each request was sent and answered (performance.now()), in the order of `requests`. */
  readonly timings: { sentAt: number; answeredAt: number }[] = [];
  /** The number whose leg was bridged to the caller, if any. */
  bridged: string | null = null;
  /** Media streams opened by <Connect><Stream>. */
  readonly streams: FakeTwilioCaller[] = [];
  /** Streams that could not connect (the upgrade was refused or failed). */
  readonly streamFailures: string[] = [];
  ended = false;
  private running: Promise<void> = Promise.resolve();

  constructor(
    readonly callSid: string,
    private o: FakeTwilioVoiceOptions,
  ) {}

  /** Runs a TwiML document on the caller's leg (queued after anything still running). */
  run(twiml: string): Promise<void> {
    this.running = this.running.then(() => this.runCaller(parse(twiml))).catch((err: Error) => {
      this.heard.push({ leg: 'caller', verb: 'Say', text: `FAKE TWILIO ERROR: ${err.message}`, language: null });
    });
    return this.running;
  }

  /** Where media streams opened from now on connect (a test moves a call from one instance's address to nginx). */
  streamTo(serverUrl: string, stream: Partial<CallerOptions> = this.o.stream ?? {}): void {
    this.o = { ...this.o, serverUrl, stream };
  }

  /** A REST update with Status=completed: Twilio ends the call wherever it is. */
  hangUp(): void {
    this.ended = true;
  }

  /** Resolves when everything queued has run. */
  idle(): Promise<void> {
    return this.running;
  }

  callerLines(): string[] {
    return this.heard.filter((h) => h.leg === 'caller').map((h) => h.text);
  }

  private async request(url: string, params: Record<string, string>): Promise<string> {
    if (!url.startsWith(this.o.publicUrl)) throw new Error(`TwiML names a URL outside PUBLIC_URL: ${url}`);
    const path = url.slice(this.o.publicUrl.replace(/\/$/, '').length);
    this.requests.push(path);
    const f = signedForm(this.o.authToken, url, params);
    const sentAt = performance.now();
    const res = await this.o.post(path, f.headers, f.body);
    this.timings.push({ sentAt, answeredAt: performance.now() });
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body}`);
    return res.body;
  }

  private base(callSid = this.callSid): Record<string, string> {
    return { AccountSid: this.o.accountSid, CallSid: callSid, From: this.o.from, To: this.o.to, CallStatus: 'in-progress', Direction: 'inbound', ApiVersion: '2010-04-01' };
  }

  private async runCaller(doc: Node): Promise<void> {
    for (const verb of doc.children) {
      if (this.ended) return;
      switch (verb.name) {
        case 'Say':
        case 'Play':
          this.heard.push({ leg: 'caller', verb: verb.name, text: verb.text, language: verb.attrs.language ?? null });
          break;
        case 'Pause':
          break;
        case 'Hangup':
          this.ended = true;
          return;
        case 'Dial': {
          const next = await this.dial(verb);
          if (next !== null) return this.runCaller(parse(next));
          break;
        }
        case 'Connect': {
          const stream = verb.children.find((c) => c.name === 'Stream');
          if (!stream) throw new Error('<Connect> without <Stream>');
          const params: Record<string, string> = {};
          for (const p of stream.children.filter((c) => c.name === 'Parameter')) params[p.attrs.name!] = p.attrs.value ?? '';
          const caller = new FakeTwilioCaller({ serverUrl: this.o.serverUrl, publicUrl: this.o.publicUrl, authToken: this.o.authToken, callSid: this.callSid, params, speed: 2, ...this.o.stream });
          const action = verb.attrs.action;
          try {
            await caller.connect();
          } catch (err) {
            // A stream that cannot connect ends <Connect> at once: Twilio asks its action what next.
            this.streamFailures.push((err as Error).message);
            if (!action) this.ended = true;
            else return this.runCaller(parse(await this.request(action, this.base())));
            return;
          }
          this.streams.push(caller);
          if (this.o.continuousMedia) {
            void (async () => {
              while (caller.open && !this.ended) await caller.silence(200);
            })();
          }
          // The rest of the call waits for the stream to end (the test drives it); then Twilio asks <Connect action>.
          void caller
            .waitFor(() => caller.closedAt !== null || this.ended, 10 * 60_000, 'stream end')
            .then(async () => {
              await sleep(20); // a REST hang-up sent as the stream closes wins, as on Twilio
              if (this.ended) return;
              if (!action) this.ended = true;
              else await this.run(await this.request(action, this.base()));
            })
            .catch(() => undefined);
          return;
        }
        default:
          throw new Error(`the fake does not play <${verb.name}>`);
      }
    }
    // Twilio hangs up when a document runs out of verbs.
    this.ended = true;
  }

  /** One <Dial>: rings its <Number>, plays the answering leg, then asks the action (null: no action, go on). */
  private async dial(verb: Node): Promise<string | null> {
    const number = verb.children.find((c) => c.name === 'Number');
    const to = (number?.text ?? verb.text).trim();
    const who = this.o.attorneys[to] ?? { answers: false };
    await sleep(this.o.ringMs ?? 30);
    const childSid = `CA${randomBytes(16).toString('hex')}`;
    let status: string;
    if (!who.answers) status = who.busy ? 'busy' : 'no-answer';
    else {
      const bridged = number?.attrs.url ? await this.attorneyLeg(number.attrs.url, childSid, to, who.presses) : true;
      if (bridged) {
        this.bridged = to;
        await sleep(who.talkMs ?? 10);
      }
      // A leg that answered but was never bridged (no key, declined) still "answered" as far as the <Dial> knows.
      status = 'completed';
    }
    this.dials.push({ number: to, timeoutS: verb.attrs.timeout ? Number(verb.attrs.timeout) : null, answerOnBridge: verb.attrs.answerOnBridge === 'true', status });
    if (!verb.attrs.action) return null;
    return this.request(verb.attrs.action, { ...this.base(), DialCallStatus: status, DialCallSid: childSid, DialCallDuration: status === 'completed' ? '12' : '0' });
  }

  /** The answering person's leg: the whisper document, its <Gather>, the key. True when the leg bridged. */
  private async attorneyLeg(url: string, childSid: string, number: string, presses: string | null): Promise<boolean> {
    const leg = { ...this.base(childSid), ParentCallSid: this.callSid, From: this.o.from, To: number, Direction: 'outbound-dial' };
    let doc = parse(await this.request(url, leg));
    for (let hops = 0; hops < 5; hops++) {
      let redirected = false;
      for (const verb of doc.children) {
        if (verb.name === 'Say' || verb.name === 'Play') this.heard.push({ leg: 'attorney', number, verb: verb.name, text: verb.text, language: verb.attrs.language ?? null });
        else if (verb.name === 'Hangup') return false;
        else if (verb.name === 'Gather') {
          for (const c of verb.children) if (c.name === 'Say' || c.name === 'Play') this.heard.push({ leg: 'attorney', number, verb: c.name, text: c.text, language: c.attrs.language ?? null });
          if (presses === null) continue; // timeout: actionOnEmptyResult=false falls through to the next verb
          if (!verb.attrs.action) throw new Error('whisper <Gather> without action');
          doc = parse(await this.request(verb.attrs.action, { ...leg, Digits: presses, FinishedOnKey: '' }));
          redirected = true;
          break;
        } else if (verb.name !== 'Pause') throw new Error(`the fake does not play <${verb.name}> on an answering leg`);
      }
      // A whisper document that ends without hanging up bridges the call.
      if (!redirected) return true;
    }
    throw new Error('whisper went round in circles');
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
