// The conversation core's commands, carried out the same way on every channel (Media Streams, ConversationRelay,
// <Gather>): calls into the core one at a time (a failing core becomes an apology and an end, never silence), slots
// to the intake recorder (with read-backs told from the commands), effects to the effect runner with their results
// fed back, transfer and end as the call's exit. What is channel-specific (how a line is spoken, how the caller is
// listened to, how the call leaves) goes through a small CommandChannel. Nothing here knows audio, sockets or TwiML.
import type { Logger } from '../observability/logger.js';
import type { Command, ListenCommand } from '../flows/commands.js';
import type { ConversationEvent } from '../flows/events.js';
import type { ConversationCore } from '../flows/core.js';
import type { EffectRunner, IntakeRecorder } from '../intake/types.js';
import { ReadBackWatch } from '../intake/read-backs.js';
import { warmDial, type Exit } from './handoff.js';
import { APOLOGY_TEXT } from './ports.js';

export type SpeakCommand = Extract<Command, { type: 'say' } | { type: 'generate' }>;

/** What a channel does with the commands that reach the caller. */
export interface CommandChannel {
  /** A line to say (or a reply to write); the channel keeps the language it is in. */
  speak(c: SpeakCommand): void;
  /** The flow waits for the caller. */
  listen(c: ListenCommand): void;
  /** The flow transferred or ended (`exit` is set): leave once the last words were heard. */
  leave(exit: Exit): void;
}

export interface DispatchDeps {
  callSid: string;
  tenantId: number | null;
  core: ConversationCore;
  recorder: IntakeRecorder | null;
  effects: EffectRunner | null;
  log: Logger;
  channel: CommandChannel;
  /** The session has closed: nothing more reaches the core. */
  closed(): boolean;
  /** Prompt id of the apology on channels that play it from the prompt cache. */
  apologyPromptId?: string;
  /** After each answer of the core has been carried out (Media Streams stores its snapshot here). */
  afterRun?(cmds: Command[]): void;
}

export class CommandDispatch {
  /** How the call leaves (transfer or end); set once. */
  exit: Exit | null = null;
  /** The caller is gone: commands that speak or steer the call are moot; slots and effects still count. */
  hungUp = false;
  /** Every call into the core, in order; await it to know the core has answered everything sent so far. */
  chain: Promise<void> = Promise.resolve();
  private readonly readBacks = new ReadBackWatch();
  private sysCounter = 0;
  private slotWrites: Promise<void> = Promise.resolve();
  private effectsInFlight = 0;
  private effectsDone: (() => void)[] = [];

  constructor(private readonly d: DispatchDeps) {}

  /** A command id of our own (the apology), distinct from the core's. */
  sysId(): string {
    return `sys-${++this.sysCounter}`;
  }

  event(ev: ConversationEvent): void {
    this.toCore(() => this.d.core.handle(ev));
  }

  /** Serialises calls into the core; a failing core ends the call politely rather than leaving it silent. */
  toCore(fn: () => Promise<Command[]>): void {
    this.chain = this.chain.then(async () => {
      if (this.d.closed()) return;
      let cmds: Command[];
      try {
        cmds = await fn();
      } catch (err) {
        this.d.log.error({ err: (err as Error).message }, 'conversation core failed');
        const promptId = this.d.apologyPromptId;
        cmds = [
          { type: 'say', id: this.sysId(), text: APOLOGY_TEXT, ...(promptId ? { promptId } : {}), interruptible: false, language: 'en' },
          { type: 'end', reason: 'internal error', outcome: 'abandoned' },
        ];
      }
      if (this.d.closed()) return;
      this.run(cmds);
      this.d.afterRun?.(cmds);
    });
  }

  /** Caller silence the channel measured: the flow hears it; after the final one the call ends if the flow did not end it. */
  silence(ms: number, final: boolean): void {
    if (this.d.closed() || this.exit) return;
    this.event({ type: 'silence', ms });
    if (!final) return;
    this.chain = this.chain.then(() => {
      if (!this.exit && !this.d.core.done && !this.d.closed()) this.leave({ kind: 'end', reason: 'caller silent' });
    });
  }

  /** Resolves once no effect is in flight and the core has answered every result (bounded by the caller). */
  async settled(): Promise<void> {
    for (;;) {
      const chain = this.chain;
      await chain;
      if (this.effectsInFlight > 0) await new Promise<void>((r) => this.effectsDone.push(r));
      else if (chain === this.chain) return;
    }
  }

  private run(cmds: Command[]): void {
    for (const c of cmds) {
      // Which values the caller heard read back and confirmed (marked on the intake).
      const readBack = this.readBacks.see(c);
      if (this.hungUp && c.type !== 'slot' && c.type !== 'effect') continue;
      switch (c.type) {
        case 'say':
        case 'generate':
          this.d.channel.speak(c);
          break;
        case 'listen':
          this.d.channel.listen(c);
          break;
        case 'slot': {
          // Handed over at once: the call path's recorder (intakes-repo createIntakeRecorder) keeps one write in flight
          // per call and merges what comes meanwhile, so the intake keeps the flow's order and a lagging database
          // gets fewer transactions (chaining here would defeat that merge). The call never waits on them.
          const recorder = this.d.recorder;
          if (!recorder) break;
          const stored = recorder.slot(this.d.callSid, c.name, c.value, c.confirmed, readBack, c.parties).catch((err: Error) => this.d.log.error({ err: err.message, slot: c.name }, 'slot not stored'));
          this.slotWrites = Promise.all([this.slotWrites, stored]).then(() => undefined);
          break;
        }
        case 'effect':
          this.runEffect(c);
          break;
        case 'transfer': {
          const warm = warmDial(c);
          this.leave({ kind: 'transfer', to: c.to, reason: c.reason, ...(warm ? { warm } : {}) });
          break;
        }
        case 'end':
          this.leave({ kind: 'end', reason: c.reason });
          break;
      }
    }
  }

  private leave(exit: Exit): void {
    this.exit = exit;
    this.d.channel.leave(exit);
  }

  private runEffect(c: Extract<Command, { type: 'effect' }>): void {
    const effects = this.d.effects;
    if (!effects) {
      this.event({ type: 'effectResult', id: c.id, ok: false, error: 'no integrations configured' });
      return;
    }
    this.effectsInFlight++;
    effects
      .run(c, { callSid: this.d.callSid, tenantId: this.d.tenantId, slots: this.d.core.slots() })
      .then(
        (r) => this.event({ type: 'effectResult', id: c.id, ok: r.ok, data: r.data, error: r.error }),
        (err: Error) => this.event({ type: 'effectResult', id: c.id, ok: false, error: err.message }),
      )
      .finally(() => {
        this.effectsInFlight--;
        for (const w of this.effectsDone.splice(0)) w();
      });
  }

  /** Resolves once every slot handed to the recorder so far is stored (or failed and was logged). */
  slotsStored(): Promise<void> {
    return this.slotWrites;
  }

  /** Feeds a past command (the last `listen` of an earlier webhook) to the read-back watch, so a confirmation now counts. */
  seen(c: Command): void {
    this.readBacks.see(c);
  }
}
