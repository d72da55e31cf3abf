// Per-field figures for `hermes simulate --score`: person names, other parties and dates, each per call language, so
// the values a lawyer acts on (a client's name, the name the conflict check searches, an incident date) are measured
// apart from the rest. A field's kind comes from the flow's slot types: `person_name` slots are names, party slots
// (`party: true`, or a text slot the understanding treats as a party) are parties, `date` slots are dates.
import { CompiledFlow, type LoadedFlow } from '../flows/index.js';
import type { Language } from '../primitives.js';
import { isPartySlot } from '../reasoning/understand/volunteer.js';
import { slotSpec } from '../flows/engine-support.js';

export type FieldKind = 'names' | 'parties' | 'dates';
export const FIELD_KINDS: readonly FieldKind[] = ['names', 'parties', 'dates'];

/** One expected value of a measured kind in one scripted call. */
export interface FieldResult {
  slot: string;
  kind: FieldKind;
  language: Language;
  right: boolean;
  /** Wrong, and stored without a read-back the caller confirmed. */
  wrongUnconfirmed: boolean;
}

export interface FieldTally {
  right: number;
  total: number;
  percent: number;
  wrongUnconfirmed: number;
}

export type FieldTotals = Record<FieldKind, FieldTally & { byLanguage: Partial<Record<Language, FieldTally>> }>;

/** The measured kind of every slot of the flow (its subflows included); other slots are left out. */
export function fieldKinds(flow: LoadedFlow): Record<string, FieldKind> {
  const out: Record<string, FieldKind> = {};
  if (!(flow instanceof CompiledFlow)) return out;
  for (const [name, slot] of flow.program.slots) {
    if (slot.type === 'person_name') out[name] = 'names';
    else if (slot.type === 'date') out[name] = 'dates';
    else if (isPartySlot(slotSpec(name, slot))) out[name] = 'parties';
  }
  return out;
}

const tally = (rs: FieldResult[]): FieldTally => {
  const right = rs.filter((r) => r.right).length;
  return { right, total: rs.length, percent: rs.length ? Math.round((1000 * right) / rs.length) / 10 : 100, wrongUnconfirmed: rs.filter((r) => r.wrongUnconfirmed).length };
};

export function fieldTotals(results: FieldResult[]): FieldTotals {
  const out = {} as FieldTotals;
  for (const kind of FIELD_KINDS) {
    const rs = results.filter((r) => r.kind === kind);
    const byLanguage: Partial<Record<Language, FieldTally>> = {};
    for (const lang of [...new Set(rs.map((r) => r.language))].sort()) byLanguage[lang] = tally(rs.filter((r) => r.language === lang));
    out[kind] = { ...tally(rs), byLanguage };
  }
  return out;
}

const LABEL: Record<FieldKind, string> = { names: 'person names', parties: 'party names', dates: 'dates' };

/** Report lines: one per kind with its languages, e.g. "person names: 40/41 (97.6%), wrong without read-back 0; en 30/30, es 10/11". */
export function formatFieldTotals(t: FieldTotals): string[] {
  return FIELD_KINDS.map((kind) => {
    const k = t[kind];
    const langs = Object.entries(k.byLanguage).map(([lang, v]) => `${lang} ${v.right}/${v.total} (${v.percent.toFixed(1)}%, wrong ${v.wrongUnconfirmed})`);
    return `${LABEL[kind]}: ${k.right}/${k.total} (${k.percent.toFixed(1)}%), wrong without read-back ${k.wrongUnconfirmed}${langs.length ? `; ${langs.join(', ')}` : ''}`;
  });
}
