// The conversation core: events in, commands out. Deterministic given its collaborators (reasoner, clock); all state
// is the JSON in EngineState. Never imports telephony, speech, call or HTTP code. Step running lives in engine-run.ts.
import type { Command, Outcome } from './commands.js';
import type { CallFacts, ConversationCore } from './core.js';
import type { ConversationEvent } from './events.js';
import { initialState, isEngineState, type Awaiting, type EngineState } from './engine-state.js';
import { slotSpec, Support, YES_NO } from './engine-support.js';
import { Runner } from './engine-run.js';
import { afterNo, detectIntent, looksLikeCorrection, looksSpanish, saysUnknown, type Intent } from './intents.js';
import type { CompiledFlow } from './loaded.js';
import { PHRASES, readBack } from './phrases.js';
import type { Language } from './commands.js';
import type { Reasoner, SlotSpec, SlotValue, UtteranceInput, Verdict } from '../reasoning/types.js';

export interface EngineDeps {
  reasoner: Reasoner;
  now?: () => Date;
}

export class Conversation implements ConversationCore {
  private readonly state: EngineState;
  private readonly run: Runner;
  private readonly sup: Support;
  private readonly reasoner: Reasoner;
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
    this.state.setBy ??= {}; // snapshots from before this field existed
    this.sup = new Support(flow, facts, deps.now ?? (() => facts.startedAt));
    this.run = new Runner(this.sup, this.state);
    this.reasoner = deps.reasoner;
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
    this.remember(out);
    return out;
  }

  async handle(event: ConversationEvent): Promise<Command[]> {
    const out: Command[] = [];
    const s = this.state;
    this.run.askMark = -1;
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
          await this.onUtterance({ text: event.text, alternatives: event.alternatives, confidence: event.confidence }, out);
        } catch {
          // Reasoning failed (e.g. an LLM error past its retries): never go silent; treat it as not understood.
          out.length = 0;
          this.notUnderstood(out);
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
    }
    this.insertDoubt(out);
    this.remember(out);
    // Reasoning only looks at recent turns; a long call must not grow the snapshot without bound.
    if (s.transcript.length > 40) s.transcript.splice(0, s.transcript.length - 40);
    return out;
  }

  private remember(out: Command[]): void {
    if (out.some((c) => c.type === 'listen')) this.state.last = out.filter((c) => c.type === 'say' || c.type === 'generate' || c.type === 'listen');
  }

  // ---- utterances --------------------------------------------------------------------------------------------

  private async onUtterance(input: UtteranceInput, out: Command[]): Promise<void> {
    const s = this.state;
    const text = input.text.trim();
    const aw = s.awaiting;
    if (!aw || aw.kind === 'effect' || aw.kind === 'transfer') return;
    s.transcript.push({ speaker: 'caller', text });
    s.utterances++;
    s.silences = 0;
    if (!text) return this.notUnderstood(out);
    const p = this.sup.program;
    // A caller who opens in Spanish gets the rest of the call in Spanish.
    if (s.utterances <= 2 && s.language !== 'es' && p.languages.includes('es') && looksSpanish(text)) s.language = 'es';
    const disabled = this.run.currentAsk()?.ignore_global ?? this.run.currentStep()?.ignore_global ?? [];
    const intent = detectIntent(text, p.globals, s.language, disabled);
    if (intent && this.onIntent(intent.intent, intent.target, out)) return;
    if (aw.kind === 'answer' && p.globals.corrections !== false && looksLikeCorrection(text) && (await this.tryCorrection(input, aw.slot, out))) return;
    if (aw.kind === 'confirm') return this.onConfirm(input, aw, out);
    if (saysUnknown(text)) {
      this.sup.phrase(s, out, 'unknown', PHRASES.unknown);
      return this.run.giveUp(out);
    }
    return this.onAnswer(input, aw.slot, aw.kind === 'spell', out);
  }

  private spec(slot: string): SlotSpec {
    const step = this.run.currentAsk();
    return slotSpec(slot, this.sup.program.slots.get(slot)!, step?.ask === slot ? step : undefined);
  }

  private async onAnswer(input: UtteranceInput, slot: string, spelled: boolean, out: Command[]): Promise<void> {
    const s = this.state;
    const resume = s.awaiting && 'resume' in s.awaiting ? s.awaiting.resume : undefined;
    const ex = await this.reasoner.extract(this.spec(slot), input, this.sup.ctx(s));
    const spellFirst = ex.askToSpell && !spelled && ex.status !== 'none';
    if (!spellFirst && (ex.status !== 'ok' || ex.value === undefined)) return this.notUnderstood(out);
    if (spellFirst) {
      if (ex.status === 'invalid' && ++s.attempts >= this.run.maxAttempts()) return this.run.giveUp(out);
      s.awaiting = { kind: 'spell', slot, ...(resume ? { resume } : {}) };
      this.sup.phrase(s, out, 'spell', PHRASES.spell);
      out.push(this.sup.listen(slot, this.run.currentAsk(), 'spell'));
      return;
    }
    if (ex.status !== 'ok' || ex.value === undefined) return this.notUnderstood(out);
    const spoken = ex.spoken ?? String(ex.value);
    // The flow's policy bounds the reasoner's suggestion: `always` always reads back, `never` never does.
    const policy = this.spec(slot).confirm;
    if (spelled || policy === 'always' || (ex.confirm && policy !== 'never')) return this.readBackValue(slot, ex.value, spoken, out, false, resume);
    this.run.setSlot(slot, ex.value, !ex.lateVerdict, out);
    if (ex.lateVerdict) this.watch(slot, ex.value, spoken, ex.lateVerdict);
    this.run.answered(out, resume);
  }

  private readBackValue(slot: string, value: SlotValue, spoken: string, out: Command[], reask: boolean, resume?: EngineState['stack'], origin?: EngineState['stack']): void {
    const s = this.state;
    s.awaiting = { kind: 'confirm', slot, value, spoken, reask, ...(resume ? { resume } : {}), ...(origin ? { origin } : {}) };
    this.sup.sayDynamic(s, out, readBack(s.language, spoken, reask));
    out.push(this.sup.listen(slot, this.run.currentAsk(), 'confirm', { value }));
  }

  private async onConfirm(input: UtteranceInput, aw: Extract<Awaiting, { kind: 'confirm' }>, out: Command[]): Promise<void> {
    const s = this.state;
    const ctx = this.sup.ctx(s);
    const yn = await this.reasoner.extract(YES_NO, input, ctx);
    if (yn.status === 'ok' && yn.value === true) {
      this.run.setSlot(aw.slot, aw.value, true, out);
      if (aw.reask) return this.run.rerun(out);
      return this.run.answered(out, aw.resume);
    }
    const said = yn.status === 'ok' && yn.value === false ? afterNo(input.text) : input.text;
    if (said) {
      const ex = await this.reasoner.extract(this.spec(aw.slot), { ...input, text: said, alternatives: [{ text: said, confidence: input.confidence }] }, ctx);
      if (ex.status === 'ok' && ex.value !== undefined && ex.value !== aw.value) {
        if (++s.attempts >= this.run.maxAttempts()) return this.giveUpConfirm(aw, out);
        return this.readBackValue(aw.slot, ex.value, ex.spoken ?? String(ex.value), out, false, aw.resume);
      }
    }
    if (yn.status === 'ok' && yn.value === false) {
      if (++s.attempts >= this.run.maxAttempts()) return this.giveUpConfirm(aw, out);
      this.sup.phrase(s, out, 'retry', PHRASES.retry);
      if (aw.reask && aw.origin) return this.run.askAgainAt(aw.slot, aw.origin, out);
      return this.run.askSlot(out, true, aw.resume);
    }
    this.sup.phrase(s, out, 'yes_no', PHRASES.yes_no);
    this.sup.sayDynamic(s, out, readBack(s.language, aw.spoken));
    out.push(this.sup.listen(aw.slot, this.run.currentAsk(), 'confirm', { value: aw.value }));
  }

  /** Too many tries at a read-back: a doubted earlier answer stays unconfirmed and the call goes on where it was. */
  private giveUpConfirm(aw: Extract<Awaiting, { kind: 'confirm' }>, out: Command[]): void {
    if (!aw.reask) return this.run.giveUp(out);
    this.run.rerun(out);
  }

  private notUnderstood(out: Command[]): void {
    const s = this.state;
    if (++s.attempts >= this.run.maxAttempts()) return s.awaiting?.kind === 'confirm' ? this.giveUpConfirm(s.awaiting, out) : this.run.giveUp(out);
    this.sup.phrase(s, out, 'sorry', PHRASES.sorry);
    if (s.awaiting?.kind === 'confirm') {
      const aw = s.awaiting;
      this.sup.sayDynamic(s, out, readBack(s.language, aw.spoken));
      out.push(this.sup.listen(aw.slot, this.run.currentAsk(), 'confirm', { value: aw.value }));
      return;
    }
    this.run.askSlot(out, true, s.awaiting && 'resume' in s.awaiting ? s.awaiting.resume : undefined);
  }

  private async tryCorrection(input: UtteranceInput, current: string, out: Command[]): Promise<boolean> {
    const s = this.state;
    const collected = [...this.sup.program.slots.entries()].filter(([n]) => n !== current && s.slots[n] != null).map(([n, spec]) => slotSpec(n, spec));
    if (!collected.length) return false;
    const corr = await this.reasoner.correction(input, collected, this.sup.ctx(s));
    if (!corr || corr.slot === current) return false;
    const spec = collected.find((c) => c.name === corr.slot);
    if (!spec) return false;
    const ex = await this.reasoner.extract(spec, { ...input, text: corr.utterance, alternatives: [{ text: corr.utterance, confidence: input.confidence }] }, this.sup.ctx(s));
    if (ex.status !== 'ok' || ex.value === undefined) return false;
    this.run.setSlot(corr.slot, ex.value, true, out);
    this.sup.phrase(s, out, 'updated', PHRASES.updated);
    this.run.askSlot(out, false, s.awaiting && 'resume' in s.awaiting ? s.awaiting.resume : undefined);
    return true;
  }

  // ---- global handlers ---------------------------------------------------------------------------------------

  private onIntent(intent: Intent, target: Language | undefined, out: Command[]): boolean {
    const s = this.state;
    const g = this.sup.program.globals;
    switch (intent) {
      case 'language':
        s.language = target!;
        this.sup.phrase(s, out, 'language', PHRASES.language);
        this.reask(out);
        return true;
      case 'repeat':
        this.replay(out);
        return true;
      case 'human':
      case 'emergency':
        if (!g[intent]?.goto) return false;
        this.run.jump(g[intent]!.goto!, out);
        return true;
      case 'goodbye':
        if (g.goodbye?.goto) this.run.jump(g.goodbye.goto, out);
        else this.run.finish(out, 'abandoned', 'caller said goodbye', 'goodbye');
        return true;
      case 'start_over':
        this.sup.phrase(s, out, 'start_over', PHRASES.start_over);
        this.run.startOver(out);
        return true;
    }
  }

  private reask(out: Command[]): void {
    const aw = this.state.awaiting;
    if (aw?.kind === 'confirm') {
      this.sup.sayDynamic(this.state, out, readBack(this.state.language, aw.spoken));
      out.push(this.sup.listen(aw.slot, this.run.currentAsk(), 'confirm', { value: aw.value }));
    } else this.run.askSlot(out, false, aw && 'resume' in aw ? aw.resume : undefined);
  }

  private replay(out: Command[]): void {
    for (const c of this.state.last) {
      if (c.type === 'say' || c.type === 'generate') out.push({ ...c, id: `s${++this.state.seq}` });
      else out.push(c);
    }
    if (!out.some((c) => c.type === 'listen')) this.reask(out);
  }

  private onDtmf(digit: string, out: Command[]): void {
    const s = this.state;
    const g = this.sup.program.globals;
    const aw = s.awaiting;
    if (!aw || aw.kind === 'effect' || aw.kind === 'transfer') return;
    s.transcript.push({ speaker: 'caller', text: `[key ${digit}]` });
    s.silences = 0;
    for (const intent of ['human', 'emergency'] as const)
      if (g[intent]?.dtmf === digit && g[intent]?.goto) return this.run.jump(g[intent]!.goto!, out);
    if (aw.kind === 'confirm' && (digit === '1' || digit === '2')) {
      if (digit === '1') {
        this.run.setSlot(aw.slot, aw.value, true, out);
        return aw.reask ? this.run.rerun(out) : this.run.answered(out, aw.resume);
      }
      this.sup.phrase(s, out, 'retry', PHRASES.retry);
      return this.run.askSlot(out, true, aw.resume);
    }
    const step = this.run.currentAsk();
    const mapped = aw.kind === 'answer' ? step?.dtmf?.[digit] : undefined;
    if (mapped !== undefined && step) {
      const type = this.sup.program.slots.get(step.ask)?.type;
      this.run.setSlot(step.ask, type === 'yes_no' ? mapped === 'yes' : mapped, true, out);
      return this.run.answered(out, aw.kind === 'answer' ? aw.resume : undefined);
    }
    this.sup.phrase(s, out, 'no_key', PHRASES.no_key);
    this.reask(out);
  }

  private onSilence(ms: number, out: Command[]): void {
    const s = this.state;
    const aw = s.awaiting;
    if (!aw || aw.kind === 'effect' || aw.kind === 'transfer') return;
    s.silences++;
    s.silenceMs += ms;
    const cfg = this.sup.program.globals.silence ?? {};
    if (s.silences > (cfg.max_reprompts ?? 2) || s.silenceMs >= this.sup.flow.timing().silenceEndMs) {
      if (cfg.goto) return this.run.jump(cfg.goto, out);
      return this.run.finish(out, 'abandoned', 'caller stayed silent', 'goodbye');
    }
    this.sup.phrase(s, out, 'still_there', PHRASES.still_there);
    if (aw.kind === 'confirm') return this.reask(out);
    this.run.askSlot(out, true, 'resume' in aw ? aw.resume : undefined);
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
      else this.state.doubts.push({ slot, value, spoken: value === p.value ? p.spoken : String(value), stack: p.stack });
    }
  }

  /** When a new question was just asked and a doubt is queued, read the doubtful value back first. */
  private insertDoubt(out: Command[]): void {
    const s = this.state;
    if (!s.doubts.length || s.awaiting?.kind !== 'answer' || s.awaiting.resume) return;
    const doubt = s.doubts.shift()!;
    const mark = this.run.askMark;
    if (mark >= 0 && mark <= out.length) out.splice(mark);
    else {
      const i = out.findIndex((c) => c.type === 'listen');
      if (i >= 0) out.splice(i);
    }
    this.readBackValue(doubt.slot, doubt.value, doubt.spoken, out, true, undefined, doubt.stack);
  }
}
