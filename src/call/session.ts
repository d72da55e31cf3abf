// One phone call: inbound audio -> STT -> turn-taking -> conversation core; core commands -> speech -> paced frames
// and marks. The core is driven only through events and commands, one event at a time. Turn-taking, playback,
// speech production, silence and the transcript live in their own modules; this file wires them and owns the
// call's lifecycle. It never logs per frame and never lets a provider failure escape: the caller hears an apology
// and the flow's way forward instead.
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Language, ListenCommand } from '../flows/commands.js';
import type { TurnRecord } from '../intake/types.js';
import type { Playback } from './playback.js';
import type { Speaker } from './speaker.js';
import { createVoice, silenceTiming } from './session-voice.js';
import { AgentTurns } from './agent-turns.js';
import { TurnTaking, type CallerTurn, type TurnAction } from './turn-taking.js';
import { TranscriptKeeper, wallClock } from './transcript.js';
import { SilenceClock, WaitClock } from './silence.js';
import { withoutApology } from './apology.js';
import type { Recognition } from './recognition.js';
import { openRecognition } from './listening.js';
import type { TurnSettings } from './turn-settings.js';
import { handOff } from './handoff.js';
import { CommandDispatch, type SpeakCommand } from './command-dispatch.js';
import { RecordingHook } from './recording.js';
import { CallSnapshots } from './snapshot.js';
import { PlayedWaiters } from './played-waiters.js';
import { recordCallEnd } from './call-end.js';
import { fallBackToGather } from './gather-fallback.js';
import { APOLOGY_PROMPT_ID, APOLOGY_TEXT, type SessionDeps } from './ports.js';

export interface SessionContext {
  log: Logger;
  metrics: Metrics;
  settings: TurnSettings;
}

export class CallSession {
  readonly callSid: string;
  private readonly log: Logger;
  private readonly playback: Playback;
  private readonly speaker: Speaker;
  private readonly turnTaking: TurnTaking;
  private readonly transcript: TranscriptKeeper;
  private readonly silence: SilenceClock;
  /** The caller waiting on a reply that does not play (see WaitClock). */
  private readonly waiting: WaitClock;
  /** Speech recognition in the conversation's language; null without a provider or after it failed. */
  private recognition: Recognition | null = null;
  /** Language of the last line the flow spoke: recognition follows it when the flow next listens. */
  private spokenLanguage: Language;
  /** The core's commands carried out (slots, effects, exit), as on every channel. */
  private readonly dispatch: CommandDispatch;
  private readonly agentTurns: AgentTurns;
  private listening: { timeoutMs: number } | null = null;
  /** Leaving (transfer or hang-up) once the last words were heard; set once. */
  private leaving: Promise<void> | null = null;
  private closed = false;
  private closing: Promise<void> | null = null;
  private readonly startedAt = performance.now();
  /** Reference time of the next agent reply: end of the caller's turn (or stream start for the greeting). */
  private turnRef: number | null;
  private lastRef: number | null = null;
  private greetingPending = true;
  private readonly failed = new Set<'stt' | 'tts' | 'llm'>();
  private ttsDown = false;
  /** Lines Twilio's own voice speaks at transfer/hang-up when ours is down. */
  private readonly fallbackLines: string[] = [];
  private readonly played = new PlayedWaiters();
  /** Where the conversation is after each turn, stored for a resume on another stream; null without a store. */
  private readonly snapshots: CallSnapshots | null;
  private readonly voice: string;
  private readonly timing: { silenceRepromptMs: number; silenceEndMs: number };
  /**
   * The stream goes but the call does not, so closing ends neither the intake nor the call row: parked for a warm
   * transfer's return, suspended for a resume on another stream (see suspend), or carried on over <Gather>.
   */
  private away: 'parked' | 'suspended' | 'gather' | null = null;
  /** Starts the recording once the disclosure was heard (firms that record), keeps the call's language. */
  private readonly recording: RecordingHook;
  /** A line was heard or the caller spoke or pressed a key: the call has begun, a provider failure no longer hands it to <Gather>. */
  private begun = false;

  constructor(
    private readonly d: SessionDeps,
    private readonly ctx: SessionContext,
  ) {
    this.callSid = d.facts.callSid;
    this.log = ctx.log.child({ callSid: this.callSid });
    this.turnRef = this.startedAt;
    // A call back from a transfer has had its greeting; its first line is not measured as one.
    this.greetingPending = !d.resume;
    this.spokenLanguage = d.facts.language ?? 'en';
    this.voice = d.flow.voice(d.facts.language ?? 'en') ?? d.defaultVoice;
    this.timing = silenceTiming(d.flow, ctx.settings);
    this.recording = new RecordingHook(d.recordkeeping, { callSid: this.callSid, tenantId: d.tenantId, log: this.log }, d.facts.firm?.recording === true && !d.resume);
    this.transcript = new TranscriptKeeper(this.callSid, d.calls, this.log, d.resume?.turns ?? 0);
    this.agentTurns = new AgentTurns(this.callSid, ctx.metrics, d.observer);
    this.turnTaking = new TurnTaking(ctx.settings);
    this.silence = new SilenceClock((ms, final) => this.dispatch.silence(ms, final));
    this.waiting = new WaitClock(ctx.settings.callerWaitMaxMs, (ms) => this.onCallerWaited(ms));
    ({ playback: this.playback, speaker: this.speaker } = createVoice(d, ctx.settings, ctx.metrics, this.log, {
      firstFrame: (id, at) => this.agentTurns.firstFrame(id, at),
      sayPlayed: (id, heard) => this.onSayPlayed(id, heard),
      quiet: () => {
        if (this.speaker.busy) this.waiting.start();
      },
      sounding: () => this.waiting.stop(),
      text: (id, text) => this.agentTurns.setText(id, text),
      timing: (id, t) => this.agentTurns.setTiming(id, t),
      failure: (provider, err) => this.providerFailed(provider, err),
    }));
    this.snapshots = d.resumes ? new CallSnapshots(this.callSid, d.resumes, d.core, this.log) : null;
    this.dispatch = new CommandDispatch({
      callSid: this.callSid, tenantId: d.tenantId, core: d.core, recorder: d.recorder, effects: d.effects, log: this.log,
      closed: () => this.closed, apologyPromptId: APOLOGY_PROMPT_ID,
      afterRun: (cmds) => this.snapshots?.afterTurn(cmds, this.spokenLanguage),
      channel: { speak: (c) => this.speak(c), listen: (c) => this.listen(c), leave: () => void this.leave() },
    });
    ctx.metrics.callsActive.inc();
    if (!d.resume) ctx.metrics.callsTotal.inc();
  }

  /** Opens speech recognition and plays the greeting. Never throws: a failure becomes an apology and fallback. */
  start(): void {
    this.recognition = openRecognition(this.d, this.ctx, this.spokenLanguage, this.log, {
      speechStarted: () => this.onSpeechStarted(),
      transcript: (t) => this.onAction(this.turnTaking.transcript(t, performance.now(), this.playback.audible, this.playback.interruptible), t.text),
      utteranceEnd: () => this.onAction(this.turnTaking.utteranceEnd(performance.now()), ''),
      failed: (err) => this.providerFailed('stt', err),
      // Words the old stream heard since the last turn are being re-heard (replayed) by the new one.
      switched: () => this.turnTaking.reset(),
    });
    // A call back from an unanswered warm transfer continues where it left (the flow's on_no_answer), no greeting.
    const resume = this.d.resume;
    this.dispatch.toCore(() => (resume ? this.d.core.handle(resume.event) : this.d.core.start()));
    if (!this.d.stt) this.providerFailed('stt', new Error('no speech recognition configured'));
    if (!this.d.tts) this.ttsDown = true;
  }

  /** One inbound 20 ms mu-law frame (the hot path: batch, forward, nothing else). */
  audio(frame: Buffer): void {
    this.recognition?.audio(frame);
  }

  dtmf(digit: string): void {
    if (this.closed) return;
    this.begun = true;
    this.silence.activity();
    // audible, not speaking: a say waiting only for a late mark echo has been heard out and is not interrupted.
    if (this.playback.audible && this.playback.interruptible && this.ctx.settings.bargeInOnDtmf) this.bargeIn();
    const now = new Date();
    this.transcript.caller(`(pressed ${digit})`, now, now);
    this.turnRef = performance.now();
    this.dispatch.event({ type: 'dtmf', digit });
  }

  markEcho(name: string): void {
    this.playback.markEcho(name);
  }

  get ended(): boolean {
    return this.closed;
  }

  /** Turns handed to the transcript so far (what is stored, in order). */
  get turns(): readonly TurnRecord[] {
    return this.transcript.turns;
  }

  /**
   * The stream goes but the call does not (socket lost, instance draining): the snapshot is stored and everything
   * released without ending the call, so a new stream on any instance carries it on (resume.ts). A call that cannot
   * be resumed (no store, conversation over, already leaving) is closed as usual.
   */
  async suspend(reason: string): Promise<void> {
    // A call on its way out (transfer, goodbye) finishes leaving: its after-stream plan is stored before the stream goes.
    if (this.dispatch.exit && !this.closed) return this.leave();
    if (this.snapshots && !this.d.core.done && !this.closing) this.away = 'suspended';
    // Only once the snapshot is stored may Twilio's <Connect action> ask another instance to carry the call on.
    await this.closeStream(reason);
  }

  /** Closes the session, then the stream (Twilio then asks <Connect action> what next). */
  private async closeStream(reason: string): Promise<void> {
    await this.close(reason);
    this.d.out.close();
  }

  /** Ends the session (stop, flow finished). Idempotent; resolves when everything is released and written. */
  close(reason: string): Promise<void> {
    this.closing ??= this.doClose(reason);
    return this.closing;
  }

  // ---- inbound speech ---------------------------------------------------------------------------------------------
  private onSpeechStarted(): void {
    this.silence.activity();
    this.turnTaking.speechStarted(performance.now());
  }

  private onAction(a: TurnAction, text: string): void {
    if (this.closed) return;
    if (text) this.silence.activity();
    if (a.kind === 'bargeIn') {
      this.bargeIn();
      if (a.turn) this.callerTurn(a.turn);
      return;
    }
    if (a.kind === 'turnEnd') this.callerTurn(a.turn);
  }

  private callerTurn(turn: CallerTurn): void {
    // While HERMES speaks, a backchannel is acknowledgement, not an answer: it neither interrupts nor moves the flow.
    if (this.playback.speaking && this.turnTaking.isBackchannel(turn.text)) return;
    this.begun = true;
    this.transcript.caller(turn.text, wallClock(turn.startedAt), wallClock(turn.endedAt));
    this.recognition?.turnEnded();
    this.turnRef = turn.endedAt;
    this.dispatch.event({ type: 'utterance', text: turn.text, alternatives: turn.alternatives, confidence: turn.confidence, final: true });
  }

  /** Barge-in, the priority path: clear first (synchronously), then cancel production, then tell the core. */
  private bargeIn(): void {
    const cut = this.playback.interrupt();
    this.speaker.cancel();
    this.waiting.stop();
    this.ctx.metrics.bargeIns.inc();
    const now = new Date();
    for (const c of cut) {
      const a = this.agentTurns.take(c.sayId);
      if (!a) continue;
      this.transcript.agent(a.text, c.heard, true, a.startedAt, now, AgentTurns.timings(a));
      this.dispatch.event({ type: 'heard', sayId: c.sayId, upTo: c.heard });
    }
    this.played.wake();
  }

  // ---- the conversation core ----------------------------------------------------------------------------------------
  private listen(c: ListenCommand): void {
    // The caller answers in the language they were just spoken to in ("español" -> Spanish recognition).
    this.recognition?.follow(this.spokenLanguage);
    this.listening = { timeoutMs: c.timeoutMs };
    this.maybeArmSilence();
  }

  private speak(c: SpeakCommand): void {
    this.spokenLanguage = c.language;
    this.silence.disarm();
    const greeting = this.greetingPending;
    this.greetingPending = false;
    const measure = this.turnRef !== null;
    const ref = this.turnRef ?? this.lastRef;
    this.lastRef = ref;
    this.turnRef = null;
    this.agentTurns.begin(c.id, c.type === 'say' ? c.text : c.fallbackText, ref, measure, greeting);
    this.recording.said(c.id, c.type === 'say' ? c.text : null, c.language);
    // The voice follows the language of each line (a caller who says "español" hears the flow's Spanish voice).
    const voice = this.d.flow.voice(c.language) ?? this.voice;
    if (this.ttsDown && !(c.type === 'say' && c.promptId && this.d.prompts?.get(voice, c.text))) {
      // Our voice is down and this line is not cached: keep it for Twilio's voice at transfer/hang-up.
      this.fallbackLines.push(c.type === 'say' ? c.text : c.fallbackText);
      this.agentTurns.take(c.id);
      return;
    }
    if (c.type === 'say') this.speaker.enqueue({ kind: 'say', id: c.id, text: c.text, promptId: c.promptId, interruptible: c.interruptible, voice });
    else this.speaker.enqueue({ kind: 'generate', id: c.id, cmd: c, voice });
    if (this.playback.quiet && this.speaker.busy) this.waiting.start();
  }

  // ---- playback and timing ------------------------------------------------------------------------------------------
  private onSayPlayed(sayId: string, heard: string): void {
    this.begun = true;
    this.recording.played(sayId, heard);
    const a = this.agentTurns.take(sayId);
    // Heard is what Twilio's marks prove played: nothing when nothing played (a reply whose voice failed).
    if (a) this.transcript.agent(a.text, heard, false, a.startedAt, new Date(), AgentTurns.timings(a));
    this.snapshots?.heard(heard);
    if (!this.playback.speaking) this.played.wake();
    this.maybeArmSilence();
    // A say that ends while its job is still winding down (no audio, or every mark already back) would otherwise
    // leave the listen that follows without a silence clock.
    if (this.speaker.busy) void this.speaker.idle().then(() => this.maybeArmSilence());
  }

  /** The caller has waited callerWaitMaxMs on a reply that does not play: abandon it so the conversation goes on. */
  private onCallerWaited(ms: number): void {
    if (this.closed || !this.speaker.busy || !this.playback.quiet) return;
    if (!this.speaker.abandon()) return;
    this.ctx.metrics.providerErrors.inc({ provider: 'tts', kind: 'abandoned' });
    this.log.warn({ waitedMs: Math.round(ms) }, 'reply abandoned: the caller was waiting and nothing played');
  }

  private maybeArmSilence(): void {
    if (!this.listening || this.dispatch.exit || this.closed || this.playback.speaking || this.speaker.busy || this.turnTaking.inTurn) return;
    const reprompt = this.listening.timeoutMs > 0 ? this.listening.timeoutMs : this.timing.silenceRepromptMs;
    this.silence.arm(Math.min(reprompt, this.timing.silenceEndMs), this.timing.silenceEndMs);
  }

  // ---- failures -----------------------------------------------------------------------------------------------------
  private providerFailed(provider: 'stt' | 'tts', err: Error): void {
    if (this.closed) return;
    this.ctx.metrics.providerErrors.inc({ provider, kind: 'failed' });
    if (this.failed.has(provider) || this.away === 'gather') return;
    this.failed.add(provider);
    // At the call's start (no line heard out, the caller silent), a provider that is configured but down hands the
    // call to <Gather> where it can (gather-fallback.ts); none configured at all is a deployment's choice, as before.
    if (this.d.gatherFallback && this.d.stt && !this.begun && !this.dispatch.exit && !this.closing) {
      this.away = 'gather';
      void fallBackToGather({ callSid: this.callSid, provider, log: this.log, afterStream: this.d.afterStream, note: this.d.gatherFallback, close: (r) => this.closeStream(r) });
      return;
    }
    this.log.error({ provider, err: err.message }, 'provider failed; apologising and falling back');
    let apologised = false;
    if (provider === 'stt') this.recognition?.drop();
    if (provider === 'tts') {
      this.ttsDown = true;
      // Lines queued behind the failed one (the next question) would come before the apology: they are not said.
      for (const id of this.speaker.dropQueued()) {
        this.agentTurns.take(id);
        this.playback.endSay(id);
      }
      // The cached apology needs no provider; the flow's own apology is then left out of its answer (apology.ts).
      if (this.d.prompts?.get(this.voice, APOLOGY_TEXT)) {
        this.speak({ type: 'say', id: this.dispatch.sysId(), text: APOLOGY_TEXT, promptId: APOLOGY_PROMPT_ID, interruptible: false, language: 'en' });
        apologised = true;
      }
    }
    // Lines held for Twilio's voice were never heard; after a failure the caller should hear only the apology and
    // the way forward, not a greeting and a question nobody will listen to the answer of.
    // (Cleared in turn with the core, so lines of commands already queued before the failure are dropped too.)
    // One apology, never two back to back: the caller has just heard ours, so the flow's own is not said again.
    this.dispatch.toCore(async () => {
      this.fallbackLines.length = 0;
      const cmds = await this.d.core.handle({ type: 'providerFailure', provider, message: err.message });
      return apologised ? withoutApology(cmds) : cmds;
    });
  }

  // ---- leaving ------------------------------------------------------------------------------------------------------
  /** Transfer or hang up once the last words have been heard. */
  private leave(): Promise<void> {
    this.listening = null;
    this.leaving ??= this.doLeave();
    return this.leaving;
  }

  private async doLeave(): Promise<void> {
    this.silence.close();
    await this.speaker.idle();
    await this.played.wait(this.playback.speaking || this.speaker.busy, this.ctx.settings.drainBeforeHangupMaxMs);
    // Let any remaining commands of the same batch (slots, effects) run before the stream goes.
    await this.dispatch.chain;
    const exit = this.dispatch.exit!;
    // Twilio asks <Connect action> what to do once the stream closes: the transfer (or Twilio-voiced goodbye) happens
    // there too, so it works without REST credentials and survives a failed REST update.
    const warm = exit.kind === 'transfer' ? exit.warm : undefined;
    if (warm && this.d.park) {
      // Kept before Twilio is told to dial, so an unanswered transfer finds the conversation however fast it ends.
      this.away = 'parked';
      this.d.park(this.callSid, { core: this.d.core, turns: () => this.transcript.turns.length + (this.d.resume?.turns ?? 0), language: warm.language, warm });
    }
    await handOff({ callSid: this.callSid, exit, lines: this.fallbackLines, language: this.spokenLanguage, deps: this.d, log: this.log, metrics: this.ctx.metrics });
    // Claim the close reason before the socket's own close event can.
    const closed = this.close(exit.kind === 'transfer' ? `transferred: ${exit.reason}` : exit.reason);
    this.d.out.close();
    if (exit.kind === 'end' && this.fallbackLines.length === 0) {
      this.d.control?.hangup(this.callSid).catch((err: Error) => this.log.warn({ err: err.message }, 'REST hang-up failed (stream already closed)'));
    }
    await closed;
  }

  private async doClose(reason: string): Promise<void> {
    if (!this.d.core.done && !this.dispatch.exit && !this.away) {
      this.dispatch.hungUp = true;
      this.silence.close();
      this.dispatch.event({ type: 'hangup' });
    }
    // Give the core its hang-up; bounded so a stuck core cannot hold the session's resources.
    await Promise.race([this.dispatch.chain, new Promise((r) => setTimeout(r, 2000).unref())]);
    this.closed = true;
    this.silence.close();
    this.waiting.stop();
    const now = new Date();
    for (const a of this.agentTurns.takeAll()) if (a.firstFrameAt !== null) this.transcript.agent(a.text, '', true, a.startedAt, now, AgentTurns.timings(a));
    const stats = this.playback.stats();
    this.playback.close();
    await this.speaker.close();
    this.played.wake();
    // Every STT stream of the call (including ones switched away from) is released, and every slot stored, before the end.
    await Promise.all([this.recognition?.close(), this.dispatch.slotsStored()]);
    this.ctx.metrics.callsActive.dec();
    // Away, the call goes on elsewhere (call-end.ts); else it ends here.
    const how = this.away ?? 'ended';
    if (how === 'ended') this.d.observer?.sessionClosed?.(this.callSid, { framesSent: stats.framesOut, lateFrames: stats.lateFrames, droppedFrames: stats.droppedFrames, lateness: stats.lateness });
    await recordCallEnd({
      callSid: this.callSid, reason, how, core: this.d.core, turns: this.transcript.turns.length, flushed: this.transcript.flushed(), snapshots: this.snapshots,
      language: this.spokenLanguage, recorder: this.d.recorder, calls: this.d.calls, endedAt: now, log: this.log, metrics: this.ctx.metrics,
    });
  }
}
