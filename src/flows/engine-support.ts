// What the engine needs to talk about slots and prompts: SlotSpecs for the reasoner, template views, listen
// expectations, say commands with prompt ids. Pure functions of the flow, the state and the call facts.
import type { Command, Language, ListenCommand } from './commands.js';
import type { CallFacts } from './core.js';
import { callVars } from './facts.js';
import type { CompiledFlow } from './loaded.js';
import type { EngineState } from './engine-state.js';
import type { AskStepT, SlotT, TextT } from './schema.js';
import { isFixed, render } from './templates.js';
import { lastFour, PHRASE_VARIANTS, type PhraseId } from './phrases.js';
import type { ReasoningContext, SlotSpec } from '../reasoning/types.js';

export const YES_NO: SlotSpec = { name: 'confirmation', type: 'yes_no', confirm: 'never' };

export function slotSpec(name: string, slot: SlotT, step?: AskStepT): SlotSpec {
  const spec: SlotSpec = { name, type: slot.type, confirm: step?.confirm ?? slot.confirm ?? 'when_unsure' };
  if (slot.values) spec.values = slot.values.map((v) => ({ value: v.value, synonyms: v.synonyms ?? [] }));
  if (slot.threshold !== undefined) spec.threshold = slot.threshold;
  if (slot.date_range) spec.dateRange = slot.date_range;
  if (slot.min_length !== undefined) spec.minLength = slot.min_length;
  if (slot.max_length !== undefined) spec.maxLength = slot.max_length;
  if (slot.cues) spec.cues = slot.cues;
  if (slot.description) spec.description = slot.description;
  if (slot.party !== undefined) spec.party = slot.party;
  return spec;
}

export class Support {
  /** Call facts never change during a call; computing them once keeps a step far below a millisecond. */
  private readonly call: Record<string, unknown>;
  private readonly firm: Record<string, unknown>;
  private readonly firmVars: Record<string, unknown>;

  constructor(
    readonly flow: CompiledFlow,
    readonly facts: CallFacts,
    readonly now: () => Date,
  ) {
    this.call = callVars(flow.program.firm, facts);
    this.firm = { ...flow.firmView(), ...facts.firm };
    this.callerIdValue = /^\+[1-9]\d{7,14}$/.test(facts.from) ? facts.from : undefined;
    this.firmVars = Object.fromEntries(Object.entries(this.firm).map(([k, v]) => [`firm.${k}`, v]));
  }

  get program() {
    return this.flow.program;
  }

  private readonly callerIdValue: string | undefined;

  /** The number the caller is calling from, when the channel gave a real one (E.164); never a withheld ID. */
  callerId(): string | undefined {
    return this.callerIdValue;
  }

  /** A flow text with extra template values (e.g. {{heard}} in an acknowledgement): carries caller data, not cached. */
  sayWith(state: EngineState, out: Command[], text: TextT, extra: Record<string, unknown>): void {
    const t = text[state.language] ?? text[this.program.languages[0]!] ?? '';
    // A yes/no acknowledgement may be written for one answer only ("{{#in_custody}}...{{/in_custody}}"): say nothing.
    const said = render(t, { ...this.view(state), ...extra });
    if (said) this.sayDynamic(state, out, said);
  }

  view(state: EngineState): Record<string, unknown> {
    const slots: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(state.slots)) if (v !== null) slots[k] = v;
    return {
      ...slots,
      firm: this.firm,
      after_hours: this.call.after_hours,
      language: state.language,
      caller: { from: this.facts.from, to: this.facts.to, last_four: this.callerIdValue ? lastFour(this.callerIdValue) : '' },
    };
  }

  vars(state: EngineState): Record<string, unknown> {
    const slots: Record<string, unknown> = {};
    for (const name of this.program.slots.keys()) slots[name] = state.slots[name] ?? null;
    return { ...slots, ...this.firmVars, ...this.call, language: state.language };
  }

  ctx(state: EngineState): ReasoningContext {
    return {
      now: this.now(),
      timezone: this.program.firm.timezone,
      defaultRegion: this.program.firm.default_region ?? 'US',
      language: state.language,
      transcript: state.transcript.slice(-10).map(({ speaker, text }) => ({ speaker, text })),
      slots: Object.fromEntries(Object.entries(state.slots).filter(([, v]) => v !== null)),
    };
  }

  text(state: EngineState, text: TextT): string {
    const t = text[state.language] ?? text[this.program.languages[0]!] ?? '';
    return render(t, this.view(state));
  }

  say(state: EngineState, out: Command[], text: TextT, where: { unit: string; step: string; field: string } | null, interruptible = true): void {
    const language = state.language;
    const raw = text[language] ?? '';
    const cmd: Command = { type: 'say', id: `s${++state.seq}`, text: this.text(state, text), interruptible, language };
    if (where && raw && isFixed(raw)) cmd.promptId = promptIdOf(where, language);
    out.push(cmd);
    state.transcript.push({ speaker: 'agent', text: cmd.text, id: cmd.id });
  }

  phrase(state: EngineState, out: Command[], id: string, text: Record<Language, string>): void {
    const sayId = `s${++state.seq}`;
    // A phrase the caller already heard in this call is said in its next wording (see PHRASE_VARIANTS), counted over
    // the whole call (the kept transcript is only the last turns), so no wording comes back before all were used.
    const wordings = [text[state.language], ...(PHRASE_VARIANTS[id as PhraseId]?.[state.language] ?? [])];
    const key = `${id}.${state.language}`;
    const n = (state.phraseUses[key] ?? 0) % wordings.length;
    state.phraseUses[key] = (state.phraseUses[key] ?? 0) + 1;
    const said = wordings[n]!;
    const promptId = n === 0 ? `hermes.${id}.${state.language}` : `hermes.${id}.${n}.${state.language}`;
    out.push({ type: 'say', id: sayId, text: said, promptId, interruptible: true, language: state.language });
    state.transcript.push({ speaker: 'agent', text: said, id: sayId });
  }

  /** Effect arguments: "$slots" is every slot, "{{x}}" alone keeps x's type, other strings are templates. */
  args(state: EngineState, v: unknown): unknown {
    const view = this.view(state);
    if (typeof v === 'string') {
      if (v === '$slots') return Object.fromEntries(Object.entries(state.slots).filter(([, x]) => x !== null));
      const only = /^\{\{\s*([\w.]+)\s*\}\}$/.exec(v);
      if (only) {
        const path = only[1]!.split('.');
        let cur: unknown = view;
        for (const p of path) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[p] : undefined;
        return cur ?? null;
      }
      return render(v, view);
    }
    if (Array.isArray(v)) return v.map((x) => this.args(state, x));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.args(state, x)]));
    return v;
  }

  /** A say with caller data in it (read-backs): never cached. */
  sayDynamic(state: EngineState, out: Command[], text: string): void {
    const sayId = `s${++state.seq}`;
    out.push({ type: 'say', id: sayId, text, interruptible: true, language: state.language });
    state.transcript.push({ speaker: 'agent', text, id: sayId });
  }

  listen(slotName: string | undefined, step: AskStepT | undefined, purpose: 'answer' | 'confirm' | 'spell', extra: { value?: unknown } = {}): ListenCommand {
    const slot = slotName ? this.program.slots.get(slotName) : undefined;
    const keyterms = [...(slot?.keyterms ?? []), ...(slot?.values ?? []).flatMap((v) => [v.value.replace(/_/g, ' '), ...(v.synonyms ?? [])])];
    const cmd: ListenCommand = {
      type: 'listen',
      expect: { keyterms, dtmf: purpose === 'confirm' || !!step?.dtmf, purpose },
      timeoutMs: step?.timeout_ms ?? this.flow.timing().silenceRepromptMs,
    };
    if (slotName) cmd.expect.slot = slotName;
    if (slot) cmd.expect.slotType = slot.type;
    if ('value' in extra) cmd.expect.pendingValue = extra.value;
    return cmd;
  }
}

function promptIdOf(where: { unit: string; step: string; field: string }, language: Language): string {
  return `${where.unit}.${where.step}.${where.field}.${language}`;
}
