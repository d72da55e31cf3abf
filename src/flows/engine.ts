// The conversation core: events in, commands out. Deterministic given its collaborators (reasoner, clock); all state
// is the JSON in EngineState. Never imports telephony, speech, call or HTTP code. Step running lives in engine-run.ts,
// utterances (understanding -> actions) in engine-listen.ts, the wording of repeated questions in engine-repair.ts.
import type { Command, Language, Outcome } from './commands.js';
import type { CallFacts, ConversationCore } from './core.js';
import type { ConversationEvent } from './events.js';
import { initialState, isEngineState, upgradeState, type EngineState } from './engine-state.js';
import { Support } from './engine-support.js';
import { Runner } from './engine-run.js';
import { Listener } from './engine-listen.js';
import { enumLabel } from './faq.js';
import type { CompiledFlow } from './loaded.js';
import { cutOffLine, PHRASES } from './phrases.js';
import { spellTarget } from './spell-back.js';
import type { Reasoner, SlotValue, Verdict } from '../reasoning/types.js';

export interface EngineDeps {
  reasoner: Reasoner;
  now?: () => Date;
}

export class Conversation implements ConversationCore {
  private readonly state: EngineState;
  private readonly run: Runner;
  private readonly sup: Support;
  private readonly reasoner: Reasoner;
  private readonly listener: Listener;
  /** Late verdicts still running; deliberately outside the snapshot (promises are not state). */
  private readonly pending = new Map<string, { value: SlotValue; spoken: string; stack: EngineState['stack']; verdict?: Verdict }>();

  constructor(flow: CompiledFlow, facts: CallFacts, deps: EngineDeps, snapshot?: unknown) {
    const p = flow.program;
    const language: Language = facts.language && p.languages.includes(facts.language) ? facts.language : p.languages[0]!;
    if (snapshot !== undefined && !isEngineState(snapshot)) throw new Error('not a conversation snapshot');
    const flowRef = `${flow.id}@${flow.version}`;
    if (snapshot !== undefined && (snapshot as EngineState).flow !== flowRef)
      throw new Error(`snapshot belongs to flow ${(snapshot as EngineState).flow}, not ${flowRef}`);
    this.state = snapshot ? structuredClone(snapshot as EngineState) : initialState(language, { unit: p.root.id, step: p.root.def.start }, flowRef);
    upgradeState(this.state);
    this.sup = new Support(flow, facts, deps.now ?? (() => facts.startedAt));
    this.run = new Runner(this.sup, this.state);
    this.reasoner = deps.reasoner;
    this.listener = new Listener(this.sup, this.state, this.run, this.reasoner, { watch: (slot, value, spoken, v) => this.watch(slot, value, spoken, v) });
  }

  get done(): boolean {
    return this.state.done;
  }
  get outcome(): Outcome | null {
    return this.state.outcome;
  }
  slots(): Record<string, unknown> {
    return Object.fromEntries(Object.entries(this.state.slots).filter(([, v]) => v !== null));
  }
  snapshot(): unknown {
    return structuredClone(this.state);
  }

  async start(): Promise<Command[]> {
    const out: Command[] = [];
    if (this.state.seq === 0) this.run.advance(out);
    await this.settleDecisions(out);
    this.remember(out);
    return out;
  }

  async handle(event: ConversationEvent): Promise<Command[]> {
    const out: Command[] = [];
    const s = this.state;
    this.run.askMark = -1;
    const waitingFor = JSON.stringify(s.awaiting ?? null);
    if (event.type === 'hangup') {
      if (s.done) return [];
      s.done = true;
      s.outcome = 'abandoned';
      return [{ type: 'end', reason: 'caller hung up', outcome: 'abandoned' }];
    }
    if (s.done) {
      if (event.type === 'transferResult' && s.awaiting?.kind === 'transfer' && !event.answered) this.run.transferUnanswered(out);
      return out;
    }
    this.applyVerdicts(out);
    switch (event.type) {
      case 'utterance':
        if (!event.final) break;
        try {
          await this.listener.onUtterance({ text: event.text, alternatives: event.alternatives, confidence: event.confidence }, out);
        } catch {
          // Reasoning failed (e.g. an LLM error past its retries): never go silent; treat it as not understood.
          out.length = 0;
          this.listener.notUnderstood(out, 'nothing');
        }
        break;
      case 'dtmf':
        this.onDtmf(event.digit, out);
        break;
      case 'silence':
        this.onSilence(event.ms, out);
        break;
      case 'effectResult':
        if (s.awaiting?.kind === 'effect' && s.awaiting.id === event.id) this.run.effectDone(event.ok, event.data ?? {}, out);
        break;
      case 'providerFailure':
        if (event.provider !== 'llm') this.run.providerFailure(out);
        break;
      case 'heard': {
        // Only what the caller actually heard of an interrupted say counts as said (for reasoning context).
        const turn = s.transcript.find((t) => t.id === event.sayId);
        if (turn) turn.text = event.upTo;
        break;
      }
      case 'transferResult':
        break;
      case 'resumed':
        this.resumed(out);
        break;
    }
    await this.settleDecisions(out);
    this.insertDoubt(out);
    // A silence reprompt of the same question ("Are you still there?") is not what "repeat that" or a resume should
    // say again: the question is. Silence that moved the flow on (to its silent-caller step) is remembered as usual.
    const reprompted = event.type === 'silence' && JSON.stringify(s.awaiting ?? null) === waitingFor;
    if (event.type !== 'resumed' && !reprompted) this.remember(out);
    // Reasoning only looks at recent turns; a long call must not grow the snapshot without bound.
    if (s.transcript.length > 40) s.transcript.splice(0, s.transcript.length - 40);
    return out;
  }

  /** A new stream carries the call on: say the line dropped and what the caller was doing, then the question again. */
  private resumed(out: Command[]): void {
    const s = this.state;
    const aw = s.awaiting;
    const slot = aw && 'slot' in aw ? aw.slot : undefined;
    const line = cutOffLine(s.language, slot ? this.sup.program.slots.get(slot)?.type : undefined, aw?.kind === 'confirm');
    const id = `s${++s.seq}`;
    out.push({ type: 'say', id, text: line.text, promptId: line.promptId, interruptible: true, language: s.language });
    s.transcript.push({ speaker: 'agent', text: line.text, id });
    const again: Command[] = [];
    this.run.replay(again);
    out.push(...again);
    // "Repeat that" after a resume repeats the question, not the line about the dropped call.
    this.remember(again);
  }

  private remember(out: Command[]): void {
    if (out.some((c) => c.type === 'listen')) this.state.last = out.filter((c) => c.type === 'say' || c.type === 'generate' || c.type === 'listen');
  }

  // ---- decisions ---------------------------------------------------------------------------------------------

  /**
   * A `decide` step stops the Runner (which never awaits); the decision is made here, inside the same event, so a
   * snapshot never holds a half-made one. Errors and unsure votes leave the slot empty for its own question.
   */
  private async settleDecisions(out: Command[]): Promise<void> {
    for (let guard = 0; guard < 20 && this.state.awaiting?.kind === 'decide'; guard++) {
      const step = this.run.currentStep();
      if (!step || !('decide' in step)) return this.run.decided(null, undefined, out);
      const slot = this.sup.program.slots.get(step.decide)!;
      const options = slot.type === 'yes_no' ? ['yes', 'no'] : (slot.values ?? []).map((v) => v.value);
      const from = step.from?.length
        ? step.from.map((n) => this.state.slots[n]).filter((v) => typeof v === 'string' && v.trim()).join('. ')
        : this.state.transcript.filter((t) => t.speaker === 'caller').map((t) => t.text).join('. ');
      let value: SlotValue | null = null;
      let spoken: string | undefined;
      if (from.trim()) {
        try {
          const d = await this.reasoner.decide({ name: step.decide, question: step.question, options }, { text: from, alternatives: [{ text: from, confidence: 1 }], confidence: 1 }, this.sup.ctx(this.state));
          if (d.choice !== null && options.includes(d.choice) && d.confidence >= (step.min_confidence ?? 0.6)) {
            value = slot.type === 'yes_no' ? d.choice === 'yes' : d.choice;
            if (slot.type === 'enum') spoken = enumLabel(this.sup.program, step.decide, d.choice, this.state.language);
          }
        } catch {
          // The reasoner failed: the flow asks the question instead of guessing.
        }
      }
      this.run.decided(value, spoken, out);
    }
  }

  // ---- keys and silence ----------------------------------------------------------------------------------------

  private onDtmf(digit: string, out: Command[]): void {
    const s = this.state;
    const g = this.sup.program.globals;
    const aw = s.awaiting;
    if (!aw || aw.kind === 'effect' || aw.kind === 'transfer' || aw.kind === 'decide') return;
    s.transcript.push({ speaker: 'caller', text: `[key ${digit}]` });
    s.silences = 0;
    for (const intent of ['human', 'emergency'] as const)
      if (g[intent]?.dtmf === digit && g[intent]?.goto) return this.run.jump(g[intent]!.goto!, out);
    if (aw.kind === 'confirm' && (digit === '1' || digit === '2')) {
      if (digit === '1') {
        this.run.setSlot(aw.slot, aw.value, true, out, aw.spoken);
        return aw.reask ? this.run.rerun(out) : this.run.answered(out, aw.resume);
      }
      if (!aw.offer) this.sup.phrase(s, out, 'retry', PHRASES.retry);
      s.awaiting = { kind: 'answer', slot: aw.slot, ...(aw.resume ? { resume: aw.resume } : {}) };
      return this.run.askSlot(out, aw.offer ? 'first' : 'retry', aw.resume, { noOffer: true });
    }
    const step = this.run.currentAsk();
    const mapped = aw.kind === 'answer' ? step?.dtmf?.[digit] : undefined;
    if (mapped !== undefined && step) {
      const type = this.sup.program.slots.get(step.ask)?.type;
      this.run.setSlot(step.ask, type === 'yes_no' ? mapped === 'yes' : mapped, true, out);
      return this.run.answered(out, aw.kind === 'answer' ? aw.resume : undefined);
    }
    this.sup.phrase(s, out, 'no_key', PHRASES.no_key);
    this.run.reask(out);
  }

  private onSilence(ms: number, out: Command[]): void {
    const s = this.state;
    const aw = s.awaiting;
    if (!aw || aw.kind === 'effect' || aw.kind === 'transfer' || aw.kind === 'decide') return;
    s.silences++;
    s.silenceMs += ms;
    const cfg = this.sup.program.globals.silence ?? {};
    if (s.silences > (cfg.max_reprompts ?? 2) || s.silenceMs >= this.sup.flow.timing().silenceEndMs) {
      if (cfg.goto) return this.run.jump(cfg.goto, out);
      return this.run.finish(out, 'abandoned', 'caller stayed silent', 'goodbye');
    }
    this.sup.phrase(s, out, 'still_there', PHRASES.still_there);
    if (aw.kind === 'confirm') return this.run.reask(out);
    this.run.askSlot(out, 'retry', 'resume' in aw ? aw.resume : undefined, { noOffer: true });
  }

  // ---- late verdicts -----------------------------------------------------------------------------------------

  private watch(slot: string, value: SlotValue, spoken: string, verdict: Promise<Verdict>): void {
    const entry: { value: SlotValue; spoken: string; stack: EngineState['stack']; verdict?: Verdict } = { value, spoken, stack: structuredClone(this.state.stack) };
    this.pending.set(slot, entry);
    verdict.then(
      (v) => (entry.verdict = v),
      () => (entry.verdict = { consistency: 0, samples: 0 }),
    );
  }

  /** Settled verdicts apply on the next event: agreement confirms the slot, doubt queues a read-back. */
  private applyVerdicts(out: Command[]): void {
    for (const [slot, p] of this.pending) {
      if (!p.verdict) continue;
      this.pending.delete(slot);
      if (this.state.slots[slot] !== p.value) continue; // the caller changed it since
      const threshold = this.sup.program.slots.get(slot)?.threshold ?? 0.8;
      const value = p.verdict.value ?? p.value;
      if (p.verdict.consistency >= threshold && value === p.value) this.run.setSlot(slot, value, true, out);
      else {
        // A doubted name is read back as any unsure name is: with its uncommon surname spelled.
        const target = this.sup.program.slots.get(slot)?.type === 'person_name' && typeof value === 'string' ? spellTarget(value, this.state.language) : null;
        if (target) this.state.spellBack[slot] = { value, target };
        this.state.doubts.push({ slot, value, spoken: value === p.value ? p.spoken : String(value), stack: p.stack });
      }
    }
  }

  /** When a new question was just asked and a doubt is queued, read the doubtful value back first. */
  private insertDoubt(out: Command[]): void {
    const s = this.state;
    if (!s.doubts.length || s.awaiting?.kind !== 'answer' || s.awaiting.resume) return;
    const doubt = s.doubts.shift()!;
    const mark = this.run.askMark;
    let cut: Command[] = [];
    if (mark >= 0 && mark <= out.length) cut = out.splice(mark);
    else {
      const i = out.findIndex((c) => c.type === 'listen');
      if (i >= 0) cut = out.splice(i);
    }
    // The question cut here was never said: it must not count as heard (its wording would change next time).
    const unsaid = new Set(cut.flatMap((c) => (c.type === 'say' ? [c.id] : [])));
    s.transcript = s.transcript.filter((t) => !t.id || !unsaid.has(t.id));
    this.run.readBack(doubt.slot, doubt.value, doubt.spoken, out, { reask: true, origin: doubt.stack });
  }
}
