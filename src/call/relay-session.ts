// One call on Twilio ConversationRelay: Twilio recognises the caller and speaks our text, so this adapter only turns
// Twilio's messages into conversation events (final prompt -> utterance, dtmf, interrupt -> heard) and the core's
// commands into `text` / `language` / `end` messages. Everything else is the Media Streams path's: the same core, the
// same transcript keeper and intake recorder, the same effect runner, the same hand-off (after-stream plan + REST).
// There is no audio here and no speech provider of ours; nothing is logged per message.
import type { Logger } from '../observability/logger.js';
import type { Command, Language } from '../flows/commands.js';
import { TranscriptKeeper } from './transcript.js';
import { SilenceClock } from './silence.js';
import { handOff } from './handoff.js';
import { CommandDispatch } from './command-dispatch.js';
import { silenceTiming } from './session-voice.js';
import { splitHeard, type SentLine } from './relay-heard.js';
import { streamReply } from './relay-reply.js';
import { RELAY_LANGUAGE, SPEECH_MS_PER_CHAR, type RelaySessionDeps } from './relay-ports.js';

export { RELAY_LANGUAGE, type RelayOut, type RelaySessionDeps } from './relay-ports.js';

interface InFlight extends SentLine {
  startedAt: Date;
  /** Estimated moment (performance.now) Twilio finishes speaking it. */
  endsAt: number;
}

export class RelaySession {
  readonly callSid: string;
  private readonly log: Logger;
  private readonly transcript: TranscriptKeeper;
  private readonly silence: SilenceClock;
  /** The core's commands carried out (slots, effects, exit), as on every channel. */
  private readonly dispatch: CommandDispatch;
  /** Lines sent since the caller last spoke (what an interrupt may cut). */
  private inFlight: InFlight[] = [];
  private speakingUntil = 0;
  private language: Language;
  private listening: { timeoutMs: number } | null = null;
  private armTimer: NodeJS.Timeout | null = null;
  /** The line being produced (a reply the model is writing); aborted by barge-in. */
  private generating: AbortController | null = null;
  /** Lines queued or being produced; silence is not counted while there are any. */
  private pendingLines = 0;
  /** Bumped by each barge-in: lines queued before it are dropped. */
  private epoch = 0;
  private replies: Promise<void> = Promise.resolve();
  /** End of the caller's turn that the next line answers (latency reference), or null once measured. */
  private turnRef: number | null = null;
  private greeting = true;
  private exiting = false;
  private closed = false;
  private closing: Promise<void> | null = null;
  /** leave() waited out the estimated speech: the lines still in flight were heard. */
  private drained = false;
  /** Away on a warm transfer: closing neither ends the intake nor the call row. */
  private parked = false;
  private readonly msPerChar: number;
  private readonly timing: { silenceRepromptMs: number; silenceEndMs: number };

  constructor(private readonly d: RelaySessionDeps) {
    this.callSid = d.facts.callSid;
    this.log = d.log.child({ callSid: this.callSid, channel: 'relay' });
    this.language = d.facts.language ?? 'en';
    this.msPerChar = d.speechMsPerChar ?? SPEECH_MS_PER_CHAR;
    this.timing = silenceTiming(d.flow, d.settings);
    this.transcript = new TranscriptKeeper(this.callSid, d.services.calls, this.log, d.resume?.turns ?? 0);
    this.greeting = !d.resume;
    this.silence = new SilenceClock((ms, final) => this.dispatch.silence(ms, final));
    this.dispatch = new CommandDispatch({
      callSid: this.callSid, tenantId: d.tenantId, core: d.core, recorder: d.services.recorder, effects: d.services.effects, log: this.log,
      closed: () => this.closed,
      channel: {
        speak: (c) => {
          if (c.type === 'generate') this.generate(c);
          else this.enqueue(c.id, c.text, c.language, c.interruptible, async (send) => send(c.text, true));
        },
        listen: (c) => {
          this.listening = { timeoutMs: c.timeoutMs };
          this.armSilenceAfterSpeech();
        },
        leave: () => {
          this.listening = null;
          void this.leave();
        },
      },
    });
    this.turnRef = performance.now();
    d.metrics.callsActive.inc();
    if (!d.resume) d.metrics.callsTotal.inc();
  }

  start(): void {
    const resume = this.d.resume;
    this.dispatch.toCore(() => (resume ? this.d.core.handle(resume.event) : this.d.core.start()));
  }

  /** A final caller utterance (`prompt` with last: true). */
  prompt(text: string): void {
    if (this.closed || !text.trim()) return;
    const now = new Date();
    this.callerActed();
    this.transcript.caller(text, now, now);
    this.turnRef = performance.now();
    this.dispatch.event({ type: 'utterance', text, alternatives: [{ text, confidence: 1 }], confidence: 1, final: true });
  }

  dtmf(digit: string): void {
    if (this.closed) return;
    const now = new Date();
    this.callerActed();
    this.transcript.caller(`(pressed ${digit})`, now, now);
    this.turnRef = performance.now();
    this.dispatch.event({ type: 'dtmf', digit });
  }

  /** Barge-in: Twilio stopped speaking; `heard` is what it had said. The reply being written stops too. */
  interrupt(heard: string): void {
    if (this.closed) return;
    this.generating?.abort();
    this.generating = null;
    this.epoch++;
    this.d.metrics.bargeIns.inc();
    this.speakingUntil = performance.now();
    const lines = this.inFlight;
    this.inFlight = [];
    const now = new Date();
    for (const h of splitHeard(lines, heard)) {
      const line = lines.find((l) => l.id === h.id)!;
      this.transcript.agent(line.text, h.heard, h.cut, line.startedAt, now, null);
      if (h.cut) this.dispatch.event({ type: 'heard', sayId: h.id, upTo: h.heard });
    }
  }

  get ended(): boolean {
    return this.closed;
  }

  close(reason: string): Promise<void> {
    this.closing ??= this.doClose(reason);
    return this.closing;
  }

  // ---- the conversation core ----------------------------------------------------------------------------------------

  /** The caller spoke or pressed a key: what was sent before counts as heard (they answered it). */
  private callerActed(): void {
    this.silence.activity();
    this.clearArm();
    // Twilio passes the caller's turn on once its voice has stopped (finished or interrupted).
    this.speakingUntil = Math.min(this.speakingUntil, performance.now());
    const now = new Date();
    for (const l of this.inFlight.splice(0)) this.transcript.agent(l.text, l.text, false, l.startedAt, now, null);
  }

  /**
   * Lines go out one after another in the order the core gave them (a reply being written holds the next question
   * back, as queued talk cycles would). A barge-in drops the lines not yet sent: the core hears they were not heard.
   */
  private enqueue(id: string, text: string, language: Language, interruptible: boolean, produce: (send: (text: string, last: boolean) => void, signal: AbortSignal) => Promise<unknown>): void {
    const epoch = this.epoch;
    this.silence.disarm();
    this.clearArm();
    this.pendingLines++;
    this.replies = this.replies.then(async () => {
      try {
        if (this.closed || this.dispatch.hungUp) return;
        if (epoch !== this.epoch) {
          const now = new Date();
          this.transcript.agent(text, '', true, now, now, null);
          this.dispatch.event({ type: 'heard', sayId: id, upTo: '' });
          return;
        }
        const abort = new AbortController();
        this.generating = abort;
        const entry = this.line(id, language, interruptible);
        await produce((t, last) => !abort.signal.aborted && entry.send(t, last), abort.signal).catch((err: Error) => this.log.error({ err: err.message }, 'reply failed'));
        if (this.generating === abort) this.generating = null;
      } finally {
        this.pendingLines--;
        this.armSilenceAfterSpeech();
      }
    });
  }

  /** One line HERMES says: a language switch first when it changes; `send` puts its text on the socket. */
  private line(id: string, language: Language, interruptible: boolean): { send: (text: string, last: boolean) => void } {
    if (language !== this.language) {
      this.language = language;
      this.d.out.language(RELAY_LANGUAGE[language]);
    }
    const lang = RELAY_LANGUAGE[language];
    const entry: InFlight = { id, text: '', startedAt: new Date(), endsAt: performance.now() };
    this.inFlight.push(entry);
    const send = (text: string, last: boolean) => {
      if (this.closed) return;
      this.measureFirstText();
      this.d.out.text(text, last, { lang, interruptible });
      if (text) {
        entry.text = entry.text ? `${entry.text} ${text}` : text;
        this.speakingUntil = Math.max(this.speakingUntil, performance.now()) + text.length * this.msPerChar;
        entry.endsAt = this.speakingUntil;
      }
    };
    return { send };
  }

  private generate(c: Extract<Command, { type: 'generate' }>): void {
    this.enqueue(c.id, c.fallbackText, c.language, c.interruptible, (send, signal) =>
      streamReply(
        {
          reply: this.d.services.reply,
          splitter: this.d.services.splitter,
          facts: this.d.facts,
          firstTokenTimeoutMs: this.d.settings.generateFirstTokenTimeoutMs,
          send,
          degraded: (err) => {
            this.d.metrics.providerErrors.inc({ provider: 'llm', kind: 'degraded' });
            this.log.warn({ provider: 'llm', err: err.message }, 'provider degraded, fallback used');
          },
        },
        c,
        signal,
      ),
    );
  }

  /** Latency: end of the caller's turn (or the session's start) -> the first `text` of the answer sent to Twilio. */
  private measureFirstText(): void {
    if (this.turnRef === null) return;
    const ms = performance.now() - this.turnRef;
    this.turnRef = null;
    const greeting = this.greeting;
    this.greeting = false;
    if (greeting) this.d.metrics.greetingLatency.observe(ms);
    else this.d.metrics.turnLatency.observe({ stage: 'first_text' }, ms);
    this.d.services.observer?.agentTurn?.({ callSid: this.callSid, greeting, firstFrameMs: ms, providerWaitMs: 0, cached: false });
  }

  // ---- silence ------------------------------------------------------------------------------------------------------

  /** Caller silence counts once Twilio has (by estimate) finished speaking and no reply is being written. */
  private armSilenceAfterSpeech(): void {
    this.clearArm();
    if (!this.listening || this.dispatch.exit || this.closed || this.pendingLines > 0) return;
    const wait = Math.max(0, this.speakingUntil - performance.now());
    this.armTimer = setTimeout(() => {
      this.armTimer = null;
      if (!this.listening || this.dispatch.exit || this.closed || this.pendingLines > 0) return;
      const reprompt = this.listening.timeoutMs > 0 ? this.listening.timeoutMs : this.timing.silenceRepromptMs;
      this.silence.arm(Math.min(reprompt, this.timing.silenceEndMs), this.timing.silenceEndMs);
    }, wait);
    this.armTimer.unref();
  }

  private clearArm(): void {
    if (this.armTimer) clearTimeout(this.armTimer);
    this.armTimer = null;
  }

  // ---- leaving ------------------------------------------------------------------------------------------------------

  /** Once the last line has (by estimate) been spoken: the hand-off plan and REST as on Media Streams, then `end`. */
  private async leave(): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    this.silence.close();
    this.clearArm();
    await this.dispatch.chain;
    await this.replies;
    const drain = Math.min(this.d.settings.drainBeforeHangupMaxMs, Math.max(0, this.speakingUntil - performance.now()));
    if (drain > 0) await new Promise((r) => setTimeout(r, Math.ceil(drain)));
    if (this.closed) return;
    // The estimate says every line has been spoken by now (timers may fire a fraction of a millisecond early).
    this.drained = true;
    const exit = this.dispatch.exit!;
    const warm = exit.kind === 'transfer' ? exit.warm : undefined;
    if (warm && this.d.park) {
      // Parked before Twilio dials: the whisper comes from here, and an unanswered transfer finds the conversation.
      this.parked = true;
      this.d.park(this.callSid, { core: this.d.core, turns: () => this.transcript.turns.length + (this.d.resume?.turns ?? 0), language: warm.language, warm });
    }
    // The plan is stored synchronously inside handOff, before `end` makes Twilio request <Connect action>.
    const handed = handOff({
      callSid: this.callSid, exit, lines: [], language: this.language,
      deps: { afterStream: this.d.afterStream, control: this.d.services.control }, log: this.log, metrics: this.d.metrics,
    });
    const data = exit.kind === 'transfer' ? { reason: 'transfer', to: exit.to, why: exit.reason, ...(exit.warm ? { warm: true } : {}) } : { reason: 'end', why: exit.reason };
    this.d.out.end(JSON.stringify({ ...data, outcome: this.d.core.outcome }));
    await handed;
    const closed = this.close(exit.kind === 'transfer' ? `transferred: ${exit.reason}` : exit.reason);
    this.d.out.close();
    await closed;
  }

  private async doClose(reason: string): Promise<void> {
    if (!this.d.core.done && !this.dispatch.exit) {
      this.dispatch.hungUp = true;
      this.dispatch.event({ type: 'hangup' });
    }
    this.generating?.abort();
    await Promise.race([this.dispatch.chain, new Promise((r) => setTimeout(r, 2000).unref())]);
    // Every slot is stored before the intake ends (end() settles it; a later slot write would be skipped).
    await this.dispatch.slotsStored();
    this.closed = true;
    this.silence.close();
    this.clearArm();
    // Lines whose estimated speaking time had passed were heard; the rest were cut by the hang-up.
    const now = new Date();
    const at = performance.now();
    for (const l of this.inFlight.splice(0)) {
      const heard = this.drained || l.endsAt <= at;
      this.transcript.agent(l.text, heard ? l.text : '', !heard, l.startedAt, now, null);
    }
    const outcome = this.d.core.outcome;
    this.d.metrics.callsActive.dec();
    if (this.parked) {
      await this.transcript.flushed();
      this.log.info({ reason, turns: this.transcript.turns.length }, 'relay session left for a warm transfer');
      return;
    }
    this.d.metrics.callsEnded.inc({ outcome: outcome ?? 'abandoned' });
    await Promise.all([
      this.transcript.flushed(),
      this.d.services.recorder?.end(this.callSid, outcome, this.d.core.slots()).catch((err: Error) => this.log.error({ err: err.message }, 'intake end not stored')),
      this.d.services.calls?.finish({ callSid: this.callSid, outcome, reason, endedAt: now }).catch((err: Error) => this.log.error({ err: err.message }, 'call end not stored')),
    ]);
    this.log.info({ reason, outcome, turns: this.transcript.turns.length }, 'call ended');
  }

  /** Turns handed to the transcript so far. */
  get turns() {
    return this.transcript.turns;
  }
}
