// What the engine keeps beside a slot's value between hearing it and storing it: the parties a party slot's answer
// named (each with the caller's relationship and words, sent with the slot command so the intake keeps them), and
// whether an unsure person name's read-back spells its surname (spell-back.ts). Both are keyed by the value they
// belong to, so a value that changes on the way (a correction, a "no") never carries another value's details.
import type { Language, SlotCommand } from './commands.js';
import type { EngineState } from './engine-state.js';
import { spellTargetOf, spokenWithSpelling } from './spell-back.js';
import type { Interpretation } from '../reasoning/interpretation.js';
import type { SlotSpec, SlotValue, UtteranceInput } from '../reasoning/types.js';
import { thresholdOf } from '../reasoning/policy.js';

/** Notes the parties and spell-backs of every value understanding heard in this utterance. */
export function noteHeard(s: EngineState, it: Interpretation, specOf: (slot: string) => SlotSpec | undefined, input: UtteranceInput): void {
  for (const f of [...it.fills, ...it.corrections]) {
    const spec = specOf(f.slot);
    if (!spec) continue;
    if (f.parties?.length) s.parties[f.slot] = { value: f.value, list: f.parties.map((p) => ({ name: p.name, ...(p.relationship ? { relationship: p.relationship } : {}), phrase: p.phrase })) };
    if (spec.type !== 'person_name') continue;
    const target = spellTargetOf(f, thresholdOf(spec), s.language, input.alternatives);
    if (target) s.spellBack[f.slot] = { value: f.value, target };
  }
}

/** The slot command for a value being stored, with the parties heard for that very value. */
export function slotCommand(s: EngineState, name: string, value: SlotValue | null, confirmed: boolean): SlotCommand {
  const heard = s.parties[name];
  if (heard && heard.value !== value) delete s.parties[name];
  const parties = heard && value !== null && heard.value === value ? heard.list : undefined;
  return { type: 'slot', name, value, confirmed, ...(parties ? { parties: parties.map((p) => ({ ...p })) } : {}) };
}

/** The surname part a read-back of `value` spells, if it was heard unsure (or its spelled surname was corrected). */
export function spellFor(s: EngineState, slot: string, value: SlotValue): string | undefined {
  const sb = s.spellBack[slot];
  return sb && sb.value === value ? sb.target : undefined;
}

/** Letters said one by one ("K O W A L S K I", "K-O-W"): a spoken form that already spells the name. */
const SPELLED_OUT = /(?:^|[\s,])\p{L}(?:[\s-]\p{L}){2,}(?=$|[\s,.])/u;

/**
 * How the value is named in its read-back sentence: its spoken form, with the spelling when there is one (unless
 * understanding's spoken form spells it already).
 */
export function readBackSpoken(spoken: string, spell: string | undefined, language: Language): string {
  return spell && !SPELLED_OUT.test(spoken) ? spokenWithSpelling(spoken, spell, language) : spoken;
}
