// A fake Twilio ConversationRelay: the WebSocket side Twilio runs once <Connect><ConversationRelay> answers a call,
// speaking the documented protocol over a real socket with a correct X-Twilio-Signature on the upgrade. It sends
// setup (right after connecting, customParameters from the TwiML's <Parameter>s), prompt, dtmf and interrupt, and
// records what HERMES sends: text tokens (grouped into talk cycles closed by last:true), language switches and end.
// Like Twilio's voice it "speaks" each token at msPerChar, so an interrupt reports what had been spoken so far.
// After `end` it closes the socket and, like Twilio, asks <Connect action> what next (signed, with HandoffData).
//
// Sources beyond ../../../shared/reference/conversationrelay.md:
// - message shapes and the signature on the upgrade: https://www.twilio.com/docs/voice/conversationrelay/websocket-messages
//   (durationUntilInterruptMs appears there as a string "460" and elsewhere as a number; this fake sends a number).
// - GUESS, unconfirmed in public docs: utteranceUntilInterrupt covers the talk cycle playing, not earlier ones; Twilio
//   closes the socket after `end`; the action request carries SessionStatus=completed after our `end`.
// - `end` cuts speech still playing (public ConversationRelay apps wait before sending it); this fake records how much
//   of the queued speech was still unspoken when `end` came (`cutByEnd`).
import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import WebSocket from 'ws';
import { signedForm } from './twilio-caller.js';
import { Waiters } from './waiters.js';

export interface RelayCallerOptions {
  /** ws://127.0.0.1:<port> of HERMES. */
  serverUrl: string;
  /** PUBLIC_URL HERMES validates against; the upgrade is signed for its wss:// form. */
  publicUrl: string;
  authToken: string;
  callSid: string;
  from?: string;
  to?: string;
  /** customParameters of setup (what the TwiML's <Parameter>s said). */
  params?: Record<string, string>;
  /** Speaking pace of the fake voice; 0 = instant. */
  msPerChar?: number;
  /** Sign the upgrade with this token instead (refusal tests); null = no signature. */
  signWith?: string | null;
  /** Path of the WebSocket (default /twilio/relay). */
  path?: string;
  /** Connect action to request after `end` (path on HERMES, e.g. /twilio/after-stream); none by default. */
  action?: string;
}

export interface TalkCycle {
  text: string;
  lang: string | undefined;
  interruptible: boolean | undefined;
  /** When the first token arrived (performance.now). */
  firstAt: number;
  closed: boolean;
}

export class FakeRelayCaller {
  readonly callSid: string;
  readonly sessionId = `VX${randomBytes(16).toString('hex')}`;
  readonly cycles: TalkCycle[] = [];
  readonly tokens: { token: string; last: boolean; at: number }[] = [];
  readonly languages: { ttsLanguage: string; transcriptionLanguage: string }[] = [];
  readonly ends: { handoffData: string; at: number }[] = [];
  /** What was unspoken of the queued speech when `end` arrived (characters). */
  cutByEnd = 0;
  /** The <Connect action> answer (TwiML) after `end`. */
  actionTwiml: string | null = null;
  readonly unknown: unknown[] = [];
  closedAt: number | null = null;
  closeCode: number | null = null;
  private ws!: WebSocket;
  private readonly waiters = new Waiters();
  /** Speech clock: characters queued and the moment the fake voice started on the queue. */
  private queue: { cycle: TalkCycle; chars: number; startAt: number }[] = [];
  private speakingUntil = 0;
  private readonly msPerChar: number;

  constructor(private readonly o: RelayCallerOptions) {
    this.callSid = o.callSid;
    this.msPerChar = o.msPerChar ?? 0;
  }

  async connect(): Promise<void> {
    const path = this.o.path ?? '/twilio/relay';
    const wsUrl = this.o.publicUrl.replace(/^http/, 'ws').replace(/\/$/, '') + path;
    const token = this.o.signWith === undefined ? this.o.authToken : this.o.signWith;
    const headers: Record<string, string> = {};
    if (token) headers['X-Twilio-Signature'] = twilio.getExpectedTwilioSignature(token, wsUrl, {});
    this.ws = new WebSocket(this.o.serverUrl.replace(/\/$/, '') + path, { headers, perMessageDeflate: false });
    this.ws.on('message', (d) => this.onMessage((d as Buffer).toString('utf8')));
    this.ws.on('close', (code) => {
      this.closedAt = performance.now();
      this.closeCode = code;
      this.waiters.notify();
    });
    await new Promise<void>((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
    this.send({
      type: 'setup', sessionId: this.sessionId, accountSid: `AC${'0'.repeat(32)}`, parentCallSid: '', callSid: this.callSid,
      from: this.o.from ?? '+13125550123', to: this.o.to ?? '+13125550100', forwardedFrom: this.o.to ?? '+13125550100',
      callType: 'PSTN', callerName: '', direction: 'inbound', callStatus: 'RINGING', customParameters: { ...this.o.params },
    });
  }

  get open(): boolean {
    return this.ws?.readyState === WebSocket.OPEN;
  }

  send(m: Record<string, unknown>): void {
    if (this.open) this.ws.send(JSON.stringify(m));
  }

  /** The caller says something: partial prompts first when asked (HERMES must ignore them), then the final one. */
  prompt(text: string, o: { partials?: boolean; lang?: string } = {}): void {
    const lang = o.lang ?? 'en-US';
    if (o.partials) {
      const words = text.split(' ');
      for (let i = 1; i < words.length; i++) this.send({ type: 'prompt', voicePrompt: words.slice(0, i).join(' '), lang, last: false });
    }
    this.send({ type: 'prompt', voicePrompt: text, lang, last: true });
  }

  dtmf(digit: string): void {
    this.send({ type: 'dtmf', digit });
  }

  /** Barge-in: the fake voice stops; Twilio reports what it had said of the talk cycle playing (whole words). */
  interrupt(): string {
    const now = performance.now();
    const playing = this.queue.find((q) => now < q.startAt + q.chars * this.msPerChar) ?? this.queue.at(-1);
    let heard = '';
    let elapsedMs = 0;
    if (playing) {
      const spoken = this.msPerChar > 0 ? Math.max(0, Math.floor((now - playing.startAt) / this.msPerChar)) : playing.chars;
      const text = playing.cycle.text;
      heard = spoken >= text.length ? text : text.slice(0, spoken).replace(/\s*\S*$/, '');
      elapsedMs = Math.max(0, Math.round(now - playing.startAt));
    }
    this.queue = [];
    this.speakingUntil = now;
    this.send({ type: 'interrupt', utteranceUntilInterrupt: heard, durationUntilInterruptMs: elapsedMs });
    return heard;
  }

  /** Ends the call from the caller's side (Twilio closes the socket). */
  hangup(): void {
    if (this.open) this.ws.close(1000);
  }

  /** Resolves once HERMES has closed a talk cycle (last:true) beyond `after` cycles. */
  async waitForCycle(after: number, timeoutMs = 5000): Promise<TalkCycle> {
    await this.waitFor(() => this.cycles.filter((c) => c.closed).length > after, timeoutMs, `talk cycle ${after + 1}`);
    return this.cycles.filter((c) => c.closed)[after]!;
  }

  /** Resolves when HERMES has sent nothing for `quietMs` and the fake voice has finished speaking. */
  async waitForQuiet(quietMs = 150, timeoutMs = 8000): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const last = this.tokens.at(-1)?.at ?? 0;
      const now = performance.now();
      if (this.cycles.length > 0 && this.cycles.at(-1)!.closed && now - last >= quietMs && now >= this.speakingUntil) return;
      if (now > deadline || this.closedAt !== null) throw new Error(`relay caller ${this.callSid}: never quiet`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Waits until `pred` holds (checked on every message and on a short poll) or times out. */
  waitFor(pred: () => boolean, timeoutMs = 5000, what = 'condition'): Promise<void> {
    return this.waiters.until(pred, timeoutMs, `relay caller ${this.callSid}: timed out waiting for ${what}`);
  }

  private onMessage(raw: string): void {
    const m = JSON.parse(raw) as Record<string, unknown>;
    const now = performance.now();
    if (m.type === 'text') {
      const token = String(m.token ?? '');
      const last = m.last === true;
      this.tokens.push({ token, last, at: now });
      let cycle = this.cycles.at(-1);
      if (!cycle || cycle.closed) {
        cycle = { text: '', lang: m.lang as string | undefined, interruptible: m.interruptible as boolean | undefined, firstAt: now, closed: false };
        this.cycles.push(cycle);
        this.speakingUntil = Math.max(this.speakingUntil, now);
        this.queue.push({ cycle, chars: 0, startAt: this.speakingUntil });
      }
      // Tokens are spoken as they come: a space between sentences streamed as separate tokens.
      cycle.text = cycle.text && token ? `${cycle.text} ${token}` : cycle.text || token;
      const q = this.queue.find((x) => x.cycle === cycle);
      if (q) q.chars = cycle.text.length;
      this.speakingUntil += token.length * this.msPerChar;
      if (last) cycle.closed = true;
    } else if (m.type === 'language') {
      this.languages.push({ ttsLanguage: String(m.ttsLanguage), transcriptionLanguage: String(m.transcriptionLanguage) });
    } else if (m.type === 'end') {
      this.cutByEnd = this.msPerChar > 0 ? Math.max(0, Math.round((this.speakingUntil - now) / this.msPerChar)) : 0;
      this.ends.push({ handoffData: String(m.handoffData ?? ''), at: now });
      this.ws.close(1000);
      void this.requestAction(String(m.handoffData ?? ''));
    } else {
      this.unknown.push(m);
    }
    this.waiters.notify();
  }

  private async requestAction(handoffData: string): Promise<void> {
    if (!this.o.action) return;
    const params = {
      CallSid: this.callSid, AccountSid: `AC${'0'.repeat(32)}`, From: this.o.from ?? '+13125550123', To: this.o.to ?? '+13125550100',
      Direction: 'inbound', CallStatus: 'in-progress', SessionId: this.sessionId, SessionStatus: 'completed', SessionDuration: '12', HandoffData: handoffData,
    };
    const f = signedForm(this.o.authToken, `${this.o.publicUrl.replace(/\/$/, '')}${this.o.action}`, params);
    try {
      const res = await fetch(`${this.o.serverUrl.replace(/^ws/, 'http').replace(/\/$/, '')}${this.o.action}`, { method: 'POST', headers: f.headers, body: f.body });
      this.actionTwiml = await res.text();
    } catch (err) {
      this.actionTwiml = `request failed: ${(err as Error).message}`;
    }
    this.waiters.notify();
  }
}
