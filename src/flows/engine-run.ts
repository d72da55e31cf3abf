// Runs flow steps until the conversation needs the caller (a question), the outside world (an effect, a transfer)
// or is over. Mutates only the EngineState it was given and appends commands; never performs I/O.
import type { Command, Language, Outcome } from './commands.js';
import type { EngineState, Frame } from './engine-state.js';
import type { Support } from './engine-support.js';
import { withEvalContext } from './helpers.js';
import { PHRASES, type PhraseId, callerIdReadBack, callerIdSpoken, readBack, yesNoReadBack } from './phrases.js';
import { RETURN, type FlowUnit } from './program.js';
import type { AskStepT, StepT } from './schema.js';
import { render } from './templates.js';
import { questionLines, type AskMode } from './engine-repair.js';
import { enumLabel } from './faq.js';
import { readBackSpoken, slotCommand, spellFor } from './engine-values.js';
import type { SlotValue } from '../reasoning/types.js';

const MAX_STEPS_PER_TURN = 500;
/** How long each number of a warm transfer rings before the next is tried. */
const DEFAULT_RING_TIMEOUT_MS = 20_000;
/** `setBy` mark of a value a `set:` step gave: the flow's own, acknowledged to nobody. */
const FLOW_SET = '(set)';
/** What the person answering a warm transfer hears when the flow writes no whisper (never spoken to the caller). */
const DEFAULT_WHISPER: Record<Language, string> = {
  en: 'Call for {{firm.name}}{{#caller_name}} from {{caller_name}}{{/caller_name}}. Press 1 to take the call.',
  es: 'Llamada para {{firm.name}}{{#caller_name}} de {{caller_name}}{{/caller_name}}. Oprima 1 para tomar la llamada.',
};
type TransferT = Extract<StepT, { transfer: unknown }>['transfer'];

export class Runner {
  /** Index in this turn's output where the current question's prompt starts (-1: none this turn). */
  askMark = -1;

  constructor(
    private readonly sup: Support,
    private readonly s: EngineState,
  ) {}

  private unit(frame: Frame = this.top()): FlowUnit {
    return this.sup.program.units.get(frame.unit)!;
  }
  private top(): Frame {
    return this.s.stack[this.s.stack.length - 1]!;
  }
  private addr(): string {
    return `${this.top().unit}#${this.top().step}`;
  }
  currentStep(): StepT | undefined {
    return this.unit().def.steps[this.top().step];
  }
  currentAsk(): AskStepT | undefined {
    const st = this.currentStep();
    return st && 'ask' in st ? st : undefined;
  }
  maxAttempts(): number {
    return this.currentAsk()?.max_attempts ?? 3;
  }

  setSlot(name: string, value: SlotValue | null, confirmed: boolean, out: Command[], spoken?: string): void {
    this.s.slots[name] = value;
    this.s.confirmed[name] = confirmed;
    const ask = this.currentAsk();
    this.s.setBy[name] = ask?.ask === name && this.s.awaiting?.kind !== 'decide' ? this.addr() : '';
    if (spoken !== undefined) this.s.spoken[name] = spoken;
    else delete this.s.spoken[name];
    if (confirmed || value === null) this.s.unsure = this.s.unsure.filter((x) => x !== name);
    if (value !== null) this.s.declined = this.s.declined.filter((x) => x !== name);
    out.push(slotCommand(this.s, name, value, confirmed));
  }

  /** How a slot's value is said back: the spoken form understanding gave, an enum label, or the value. */
  heard(name: string): string {
    const v = this.s.slots[name];
    // An enum value is named the way the flow names it to callers, whatever words understanding reported.
    if (typeof v === 'string' && this.sup.program.slots.get(name)?.type === 'enum') return enumLabel(this.sup.program, name, v, this.s.language);
    if (this.s.spoken[name]) return this.s.spoken[name]!;
    return v === null || v === undefined ? '' : String(v);
  }

  /**
   * Reads `value` back as a yes/no question; a caller-ID value is read back by its last four digits only, and an
   * unsure name with its surname spelled in this sentence only (`spoken`, what acknowledgements say, stays plain).
   */
  readBack(slot: string, value: SlotValue, spoken: string, out: Command[], opts: { reask?: boolean; resume?: Frame[]; origin?: Frame[]; fromCallerId?: boolean } = {}): void {
    const s = this.s;
    // A corrected value read back in the same exchange takes the next wording too: no "Is that right?" twice running.
    const chain = s.awaiting?.kind === 'confirm' && s.awaiting.slot === slot ? (s.awaiting.said ?? 1) : 0;
    const prev = chain && s.awaiting?.kind === 'confirm' && s.awaiting.value === value ? chain : 0;
    const spell = opts.fromCallerId ? undefined : spellFor(s, slot, value);
    s.awaiting = { kind: 'confirm', slot, value, spoken, reask: !!opts.reask, said: chain + 1, ...(opts.resume ? { resume: opts.resume } : {}), ...(opts.origin ? { origin: opts.origin } : {}), ...(spell ? { spell } : {}) };
    const yesNo = this.sup.program.slots.get(slot)?.type === 'yes_no' && typeof value === 'boolean';
    const text = opts.fromCallerId && prev === 0 ? callerIdReadBack(s.language, String(value)) : yesNo ? yesNoReadBack(s.language, value, prev) : readBack(s.language, readBackSpoken(spoken, spell, s.language), !!opts.reask && prev === 0, chain);
    this.sup.sayDynamic(s, out, text);
    out.push(this.sup.listen(slot, this.currentAsk(), 'confirm', { value }));
  }

  /** Moves the top frame to `target`; `return` pops subflow frames and continues after the subflow step. */
  private goto(target: string): void {
    while (target === RETURN && this.s.stack.length > 1) {
      this.s.stack.pop();
      const parent = this.currentStep() as { next?: string };
      target = parent.next ?? RETURN;
    }
    this.top().step = target;
  }

  advance(out: Command[]): void {
    for (let i = 0; i < MAX_STEPS_PER_TURN; i++) if (!this.exec(out)) return;
    // The compiler refuses loops without a question, so this only guards against a bug: never go silent.
    this.finish(out, 'abandoned', 'flow did not reach a question', 'trouble');
  }

  /** Runs the current step; true when the flow moves on without waiting. */
  private exec(out: Command[]): boolean {
    const s = this.s;
    const frame = this.top();
    const unit = this.unit();
    const name = frame.step;
    const step = unit.def.steps[name]!;
    const where = (field: string) => ({ unit: unit.id, step: name, field });
    if ('ask' in step) {
      // Already said (volunteered earlier, or answered in another branch): never ask twice. An unsure value is read
      // back instead of asked; a sure one may get the step's acknowledgement. A flow that loops back to the same
      // question means to ask it again. A declined slot ("skip") is not asked again either.
      const slot = step.ask;
      const mine = s.setBy[slot] === this.addr();
      s.attempts = 0;
      s.tries = 0;
      if (s.slots[slot] != null && !mine) {
        if (s.unsure.includes(slot)) {
          this.readBack(slot, s.slots[slot]!, this.heard(slot), out);
          return false;
        }
        if (step.acknowledge && s.setBy[slot] !== FLOW_SET) this.sup.sayWith(s, out, step.acknowledge, { heard: this.heard(slot) });
        this.goto(step.next);
        return true;
      }
      if (s.slots[slot] == null && s.declined.includes(slot)) {
        this.goto(step.next);
        return true;
      }
      this.askSlot(out, 'first');
      return false;
    }
    if ('decide' in step) {
      // A decision the caller already made for us (understanding filled the slot) needs no reasoning.
      if (s.slots[step.decide] != null) {
        this.goto(step.next);
        return true;
      }
      s.awaiting = { kind: 'decide' };
      return false;
    }
    if ('branch' in step) {
      const vars = this.sup.vars(s);
      const hit = step.branch.findIndex((_, i) => this.evaluate(`${unit.id}#${name}#${i}`, vars));
      this.goto(hit >= 0 ? step.branch[hit]!.goto : step.else);
      return true;
    }
    if ('set' in step) {
      for (const slot of Object.keys(step.set)) {
        const type = this.sup.program.slots.get(slot)?.type;
        const raw = this.evaluate(`${unit.id}#${name}#${slot}`, this.sup.vars(s));
        const value = type === 'yes_no' ? !!raw : raw === null || raw === undefined ? null : (raw as SlotValue);
        this.setSlot(slot, value, true, out);
        // The flow's own value, not the caller's: its question is skipped without "I understand this is about ...".
        s.setBy[slot] = FLOW_SET;
      }
      this.goto(step.next);
      return true;
    }
    if ('effect' in step) {
      const id = `e${++s.seq}`;
      if (step.say) this.sup.say(s, out, step.say, where('say'));
      out.push({ type: 'effect', id, action: step.effect, args: this.sup.args(s, step.args ?? {}) as Record<string, unknown> });
      s.awaiting = { kind: 'effect', id };
      return false;
    }
    if ('transfer' in step) {
      if (step.say) this.sup.say(s, out, step.say, where('say'), false);
      out.push(this.transferCommand(step.transfer, name));
      s.done = true;
      s.outcome = 'transferred';
      s.awaiting = { kind: 'transfer' };
      return false;
    }
    if ('subflow' in step) {
      const callee = this.sup.program.units.get(unit.calls.get(name)!)!;
      s.stack.push({ unit: callee.id, step: callee.def.start });
      return true;
    }
    if ('end' in step) {
      if (step.say) this.sup.say(s, out, step.say, where('say'), false);
      out.push({ type: 'end', reason: step.reason ?? name, outcome: step.end });
      s.done = true;
      s.outcome = step.end;
      s.awaiting = null;
      return false;
    }
    if (step.generate) {
      const fallbackText = this.sup.text(s, step.say);
      const id = `s${++s.seq}`;
      out.push({ type: 'generate', id, instruction: step.generate, context: this.sup.view(s), fallbackText, interruptible: step.interruptible ?? true, language: s.language });
      s.transcript.push({ speaker: 'agent', text: fallbackText, id });
    } else this.sup.say(s, out, step.say, where('say'), step.interruptible ?? true);
    this.goto(step.next);
    return true;
  }

  /** A transfer to `{{firm.on_call}}` rings every on-call number in order (warm); any other target is one number. */
  private transferCommand(t: TransferT, step: string): Extract<Command, { type: 'transfer' }> {
    const view = this.sup.view(this.s);
    const to = render(t.to ?? '', view);
    const mode = t.mode ?? 'warm';
    const cmd: Extract<Command, { type: 'transfer' }> = { type: 'transfer', to, mode, reason: t.reason ?? step, language: this.s.language };
    if (mode === 'cold') return cmd;
    const onCall = this.sup.program.firm.on_call ?? [];
    const numbers = /^\{\{\s*firm\.on_call\s*\}\}$/.test((t.to ?? '').trim()) && onCall.length ? [...onCall] : [to];
    // The whisper is for the firm's people: in the flow's first language, whatever the caller speaks.
    const firmLanguage = this.sup.program.languages[0]!;
    const written = t.whisper?.[firmLanguage] ?? t.whisper?.[this.s.language];
    const whisper = written ? render(written, view) : render(DEFAULT_WHISPER[firmLanguage], view);
    return { ...cmd, numbers, whisper, ringTimeoutMs: t.ring_timeout_ms ?? DEFAULT_RING_TIMEOUT_MS };
  }

  private evaluate(key: string, vars: Record<string, unknown>): unknown {
    const fn = this.sup.program.expressions.get(key);
    if (!fn) return null;
    const today = String(vars.today);
    return withEvalContext({ today, solYears: this.sup.program.firm.sol_years ?? {} }, () => fn(vars));
  }

  /** The decision of the current `decide` step arrived (null: not sure enough, the slot stays for its question). */
  decided(value: SlotValue | null, spoken: string | undefined, out: Command[]): void {
    const step = this.currentStep();
    this.s.awaiting = null;
    if (!step || !('decide' in step)) return this.advance(out);
    if (value !== null) this.setSlot(step.decide, value, false, out, spoken);
    this.goto(step.next);
    this.advance(out);
  }

  /**
   * Puts the current step's question: `first` as written (or as a caller-ID offer), `again` after the caller asked
   * something or gave other information, `retry` after a failed try (help with an example, then other ways).
   */
  askSlot(out: Command[], mode: AskMode, resume?: Frame[], opts: { noOffer?: boolean } = {}): void {
    const step = this.currentAsk();
    if (!step) return this.advance(out);
    const s = this.s;
    const unit = this.unit();
    this.askMark = out.length;
    const callerId = this.sup.callerId();
    const slotType = this.sup.program.slots.get(step.ask)?.type;
    if (mode === 'first' && !opts.noOffer && step.caller_id_prompt && callerId && slotType === 'phone' && s.slots[step.ask] == null) {
      // One yes/no question instead of dictating digits: "Should we call you back at the number ending in 1234?"
      s.tries = 1;
      this.sup.say(s, out, step.caller_id_prompt, { unit: unit.id, step: this.top().step, field: 'caller_id_prompt' });
      out.push(this.sup.listen(step.ask, step, 'confirm', { value: callerId }));
      s.awaiting = { kind: 'confirm', slot: step.ask, value: callerId, spoken: callerIdSpoken(s.language, callerId), reask: false, offer: true, said: 1, ...(resume ? { resume } : {}) };
      return;
    }
    const lines = questionLines(this.sup.program, s, step, mode, (t) => this.sup.text(s, t));
    for (const line of lines) {
      if ('flow' in line) this.sup.say(s, out, line.flow, { unit: unit.id, step: this.top().step, field: line.field });
      else this.sup.sayDynamic(s, out, line.text);
    }
    s.tries = mode === 'first' ? 1 : s.tries + 1;
    out.push(this.sup.listen(step.ask, step, 'answer'));
    s.awaiting = { kind: 'answer', slot: step.ask, ...(resume ? { resume } : {}) };
  }

  /** Puts the pending question again after something else was dealt with (a caller question, a language switch). */
  reask(out: Command[], mode: AskMode = 'again'): void {
    const aw = this.s.awaiting;
    if (aw?.kind === 'confirm') return this.readBack(aw.slot, aw.value, aw.spoken, out, { reask: aw.reask, ...(aw.resume ? { resume: aw.resume } : {}), ...(aw.origin ? { origin: aw.origin } : {}) });
    this.askSlot(out, mode, aw && 'resume' in aw ? aw.resume : undefined, { noOffer: mode !== 'first' });
  }

  /** "Repeat that": the says of the last turn again (fresh ids), then its listen. */
  replay(out: Command[]): void {
    for (const c of this.s.last) {
      if (c.type === 'say' || c.type === 'generate') out.push({ ...c, id: `s${++this.s.seq}` });
      else out.push(c);
    }
    if (!out.some((c) => c.type === 'listen')) this.reask(out);
  }

  /** The current question got its answer: go on (or back, after a detour). */
  answered(out: Command[], resume?: Frame[]): void {
    this.s.awaiting = null;
    this.s.attempts = 0;
    if (resume) this.s.stack = resume;
    else {
      const step = this.currentAsk();
      if (step) this.goto(step.next);
    }
    this.advance(out);
  }

  rerun(out: Command[]): void {
    this.s.awaiting = null;
    this.s.attempts = 0;
    this.advance(out);
  }

  /** The caller could not answer within max_attempts: take the step's fallback (or move on without the slot). */
  giveUp(out: Command[], opts: { quiet?: boolean } = {}): void {
    const aw = this.s.awaiting;
    const resume = aw && 'resume' in aw ? aw.resume : undefined;
    const step = this.currentAsk();
    // Moving on without a word sounds like the question was never heard; the flow's own path speaks for itself.
    if (!opts.quiet && (!step?.on_max_attempts || step.on_max_attempts === step.next)) this.sup.phrase(this.s, out, 'moving_on', PHRASES.moving_on);
    this.s.awaiting = null;
    this.s.attempts = 0;
    if (resume) this.s.stack = resume;
    else if (step) this.goto(step.on_max_attempts ?? step.next);
    this.advance(out);
  }

  /** Asks `slot` again where it was first asked, then comes back here. */
  askAgainAt(_slot: string, origin: Frame[], out: Command[]): void {
    const resume = structuredClone(this.s.stack);
    this.s.stack = structuredClone(origin);
    this.s.tries = 0;
    this.askSlot(out, 'first', resume);
  }

  jump(target: string, out: Command[]): void {
    this.s.stack = [{ unit: this.sup.program.root.id, step: target }];
    this.s.awaiting = null;
    this.s.attempts = 0;
    this.advance(out);
  }

  finish(out: Command[], outcome: Outcome, reason: string, phrase?: PhraseId): void {
    if (phrase) this.sup.phrase(this.s, out, phrase, PHRASES[phrase]);
    out.push({ type: 'end', reason, outcome });
    this.s.done = true;
    this.s.outcome = outcome;
    this.s.awaiting = null;
  }

  startOver(out: Command[]): void {
    for (const name of Object.keys(this.s.slots)) if (this.s.slots[name] !== null) this.setSlot(name, null, false, out);
    this.s.doubts = [];
    this.jump(this.sup.program.root.def.start, out);
  }

  effectDone(ok: boolean, data: Record<string, unknown>, out: Command[]): void {
    const step = this.currentStep();
    this.s.awaiting = null;
    if (!step || !('effect' in step)) return this.advance(out);
    if (ok)
      for (const [slot, field] of Object.entries(step.results ?? {})) {
        const v = data[field];
        this.setSlot(slot, v === undefined ? null : (v as SlotValue), true, out);
      }
    this.goto(ok ? step.on_success : step.on_failure ?? step.on_success);
    this.advance(out);
  }

  transferUnanswered(out: Command[]): void {
    const step = this.currentStep();
    this.s.done = false;
    this.s.outcome = null;
    this.s.awaiting = null;
    if (step && 'transfer' in step && step.on_no_answer) {
      this.goto(step.on_no_answer);
      return this.advance(out);
    }
    this.finish(out, 'abandoned', 'transfer unanswered', 'trouble_end');
  }

  /** Speech failed past retries: apologise, then hand the call to the main line or end it kindly. */
  providerFailure(out: Command[]): void {
    this.sup.phrase(this.s, out, 'trouble', PHRASES.trouble);
    const main = this.sup.program.firm.main_number;
    if (main) {
      out.push({ type: 'transfer', to: main, mode: 'cold', reason: 'speech provider failure' });
      this.s.done = true;
      this.s.outcome = 'transferred';
      this.s.awaiting = null;
      return;
    }
    this.finish(out, 'abandoned', 'speech provider failure', 'trouble_end');
  }
}
