// Runs flow steps until the conversation needs the caller (a question), the outside world (an effect, a transfer)
// or is over. Mutates only the EngineState it was given and appends commands; never performs I/O.
import type { Command, Outcome } from './commands.js';
import type { EngineState, Frame } from './engine-state.js';
import type { Support } from './engine-support.js';
import { withEvalContext } from './helpers.js';
import { PHRASES, type PhraseId } from './phrases.js';
import { RETURN, type FlowUnit } from './program.js';
import type { AskStepT, StepT } from './schema.js';
import { render } from './templates.js';
import type { SlotValue } from '../reasoning/types.js';

const MAX_STEPS_PER_TURN = 500;

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

  setSlot(name: string, value: SlotValue | null, confirmed: boolean, out: Command[]): void {
    this.s.slots[name] = value;
    this.s.confirmed[name] = confirmed;
    const ask = this.currentAsk();
    this.s.setBy[name] = ask?.ask === name ? this.addr() : '';
    out.push({ type: 'slot', name, value, confirmed });
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
      // Already answered elsewhere (e.g. the callback number in an earlier branch): do not ask twice. A flow that
      // loops back to the same question means to ask it again.
      if (s.slots[step.ask] != null && s.confirmed[step.ask] && s.setBy[step.ask] !== this.addr()) {
        this.goto(step.next);
        return true;
      }
      s.attempts = 0;
      this.askSlot(out, false);
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
      }
      this.goto(step.next);
      return true;
    }
    if ('effect' in step) {
      const id = `e${++s.seq}`;
      if (step.say) this.sup.say(s, out, step.say, where('say'));
      out.push({ type: 'effect', id, action: step.effect, args: this.args(step.args ?? {}) as Record<string, unknown> });
      s.awaiting = { kind: 'effect', id };
      return false;
    }
    if ('transfer' in step) {
      if (step.say) this.sup.say(s, out, step.say, where('say'), false);
      const to = render(step.transfer.to ?? '', this.sup.view(s));
      out.push({ type: 'transfer', to, mode: step.transfer.mode ?? 'warm', reason: step.transfer.reason ?? name });
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

  private evaluate(key: string, vars: Record<string, unknown>): unknown {
    const fn = this.sup.program.expressions.get(key);
    if (!fn) return null;
    const today = String(vars.today);
    return withEvalContext({ today, solYears: this.sup.program.firm.sol_years ?? {} }, () => fn(vars));
  }

  /** Effect arguments: "$slots" is every slot, "{{x}}" alone keeps x's type, other strings are templates. */
  private args(v: unknown): unknown {
    const view = this.sup.view(this.s);
    if (typeof v === 'string') {
      if (v === '$slots') return Object.fromEntries(Object.entries(this.s.slots).filter(([, x]) => x !== null));
      const only = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(v);
      if (only) {
        const path = only[1]!.split('.');
        let cur: unknown = view;
        for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
        return cur ?? null;
      }
      return render(v, view);
    }
    if (Array.isArray(v)) return v.map((x) => this.args(x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.args(x)]));
    return v;
  }

  askSlot(out: Command[], reprompt: boolean, resume?: Frame[]): void {
    const step = this.currentAsk();
    if (!step) return this.advance(out);
    const unit = this.unit();
    const field = reprompt && step.reprompt ? 'reprompt' : 'prompt';
    this.askMark = out.length;
    this.sup.say(this.s, out, step[field]!, { unit: unit.id, step: this.top().step, field });
    out.push(this.sup.listen(step.ask, step, 'answer'));
    this.s.awaiting = { kind: 'answer', slot: step.ask, ...(resume ? { resume } : {}) };
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
  giveUp(out: Command[]): void {
    const aw = this.s.awaiting;
    const resume = aw && 'resume' in aw ? aw.resume : undefined;
    const step = this.currentAsk();
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
    this.askSlot(out, false, resume);
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
