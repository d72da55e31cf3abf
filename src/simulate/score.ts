// `hermes simulate --score`: how well a flow served a corpus of scripted callers. Per script and in total: intake
// fields right, wrong values stored without a read-back the caller confirmed (the errors a lawyer would act on
// unawares), questions re-asked for what the caller had already said, agent sentences said twice, and outcomes.
import { expectedSlots, sameValue, type CallerScriptT } from './script.js';
import { STOPPED, type SimulationResult } from './run.js';
import { fieldTotals, formatFieldTotals, type FieldKind, type FieldResult, type FieldTotals } from './fields.js';

export interface ScriptScore {
  file: string;
  fields: { right: number; expected: number };
  /** Expected slots holding a wrong value that the caller never confirmed in a read-back. */
  wrongUnconfirmed: { slot: string; expected: unknown; got: unknown }[];
  reasks: { slot: string; value: unknown }[];
  /**
   * Questions for a slot whose expected words the caller had already spoken earlier in the call but the flow did not
   * keep ("like I said, Kevin Walsh"). Only for values that are words (names, companies, `contains`), once per slot.
   */
  alreadySaid: string[];
  /** Agent sentences (four words or more) the caller heard more than once in the call, with how often. */
  repeats: { sentence: string; times: number }[];
  /** The flow was still waiting when the simulation gave up (caller and flow going round in circles). */
  stuck: boolean;
  outcome: { expected: string | null; got: string; ok: boolean };
  /** The script's failed expectations, as single-script mode reports them. */
  failures: string[];
  /** Expected names, parties and dates (by the flow's slot kinds), each right or not, in the call's language. */
  byField: FieldResult[];
}

export interface ScoreTotals {
  scripts: number;
  fields: { right: number; expected: number; percent: number };
  wrongUnconfirmed: number;
  reasks: number;
  alreadySaid: number;
  repeats: number;
  stuck: number;
  outcomes: { matched: number; expected: number };
  /** Scripts with at least one failed expectation. */
  failedScripts: number;
  /** Person names, party names and dates: right/total and wrong without read-back, overall and per language. */
  byField: FieldTotals;
}

const filled = (v: unknown): boolean => v !== undefined && v !== null && v !== '';
const fold = (s: string): string =>
  s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();

/**
 * The words a caller would say for an expected value, as alternatives (each a list of words that must all be heard);
 * empty when the value is not words: dates, phones, emails, yes/no, enum values.
 */
function spokenWords(want: unknown): string[][] {
  if (typeof want === 'string') return /^\d{4}-\d{2}-\d{2}$|^\+\d+$|@|^[a-z]+(_[a-z]+)*$/.test(want) ? [] : [[fold(want)]];
  if (!isRecord(want)) return [];
  if (Array.isArray(want.contains)) return [want.contains.map((w) => fold(String(w)))];
  if (Array.isArray(want.any_of)) return want.any_of.flatMap(spokenWords);
  return [];
}
/**
 * Several parties in one answer are several values ("Kristen McKenzie; Jason Tolliver"): the expectation names the
 * first or main one (corpus README), so it is right when it is one of them, and the conflict check gets them all.
 */
const severalParties = (got: unknown, want: unknown): boolean =>
  typeof got === 'string' && got.includes('; ') && got.split('; ').some((name) => sameValue(name, want));

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function askedForWhatWasSaid(expected: Record<string, unknown>, result: SimulationResult): string[] {
  const out: string[] = [];
  for (const q of result.questions) {
    if (out.includes(q.slot) || result.reasks.some((r) => r.slot === q.slot)) continue; // counted as a re-ask
    const options = spokenWords(expected[q.slot]).filter((words) => words.every((w) => w.length >= 3));
    if (!options.length) continue;
    const before = ` ${result.transcript.slice(0, q.at).filter((t) => t.speaker === 'caller').map((t) => fold(t.text)).join(' ')} `;
    if (options.some((words) => words.every((w) => before.includes(` ${w} `)))) out.push(q.slot);
  }
  return out;
}

/**
 * Sentences as a caller hears them. Short ones ("Got it.", "Thank you.") are left out: a receptionist says those
 * more than once without sounding like a machine; the same question or explanation twice is what grates.
 */
export function agentSentences(result: Pick<SimulationResult, 'transcript'>): string[] {
  return result.transcript
    .filter((t) => t.speaker === 'agent' && !t.text.startsWith('['))
    .flatMap((t) => t.text.split(/(?<=[.?!])\s+/))
    .map((s) => s.trim().replace(/\s+/g, ' '))
    .filter((s) => s.split(' ').length >= 4);
}

/**
 * `kinds` (from fields.ts `fieldKinds(flow)`) names the slots measured per field; without it `byField` is empty.
 * The call's language is the script's, else the one the agent spoke last.
 */
export function scoreResult(file: string, script: CallerScriptT, result: SimulationResult, kinds: Record<string, FieldKind> = {}): ScriptScore {
  const expected = expectedSlots(script);
  const wrongUnconfirmed: ScriptScore['wrongUnconfirmed'] = [];
  const byField: FieldResult[] = [];
  const language = script.caller.language ?? result.language ?? 'en';
  let right = 0;
  for (const [slot, want] of Object.entries(expected)) {
    const got = result.intake[slot];
    const kind = kinds[slot];
    const field = (ok: boolean, wrong: boolean) => { if (kind) byField.push({ slot, kind, language, right: ok, wrongUnconfirmed: wrong }); };
    if (sameValue(got, want) || (kind === 'parties' && severalParties(got, want))) {
      right++;
      field(true, false);
      continue;
    }
    if (!filled(got)) { field(false, false); continue; } // missing: not right, but nothing false was stored
    const confirmed = result.readBacks.some((r) => r.slot === slot && r.confirmed && sameValue(got, r.value));
    if (!confirmed) wrongUnconfirmed.push({ slot, expected: want, got });
    field(false, !confirmed);
  }
  // Counted once per distinct sentence, so one loop of a hundred turns does not outweigh every other call.
  const heard = new Map<string, { sentence: string; times: number }>();
  for (const sentence of agentSentences(result)) {
    const key = sentence.toLowerCase();
    const h = heard.get(key);
    if (h) h.times++;
    else heard.set(key, { sentence, times: 1 });
  }
  const repeats = [...heard.values()].filter((h) => h.times > 1);
  const want = script.expect?.outcome;
  const expectedOutcome = typeof want === 'string' ? want : null;
  return {
    file,
    fields: { right, expected: Object.keys(expected).length },
    wrongUnconfirmed,
    reasks: result.reasks,
    alreadySaid: askedForWhatWasSaid(expected, result),
    repeats,
    stuck: result.transcript.at(-1)?.text === STOPPED,
    outcome: { expected: expectedOutcome, got: result.outcome, ok: expectedOutcome === null || expectedOutcome === result.outcome },
    failures: result.failures,
    byField,
  };
}

export function totals(scores: ScriptScore[]): ScoreTotals {
  const right = scores.reduce((n, s) => n + s.fields.right, 0);
  const expected = scores.reduce((n, s) => n + s.fields.expected, 0);
  return {
    scripts: scores.length,
    fields: { right, expected, percent: expected ? Math.round((1000 * right) / expected) / 10 : 100 },
    wrongUnconfirmed: scores.reduce((n, s) => n + s.wrongUnconfirmed.length, 0),
    reasks: scores.reduce((n, s) => n + s.reasks.length, 0),
    alreadySaid: scores.reduce((n, s) => n + s.alreadySaid.length, 0),
    repeats: scores.reduce((n, s) => n + s.repeats.length, 0),
    stuck: scores.filter((s) => s.stuck).length,
    outcomes: {
      matched: scores.filter((s) => s.outcome.expected !== null && s.outcome.ok).length,
      expected: scores.filter((s) => s.outcome.expected !== null).length,
    },
    failedScripts: scores.filter((s) => s.failures.length > 0).length,
    byField: fieldTotals(scores.flatMap((s) => s.byField ?? [])),
  };
}

const show = (v: unknown): string => JSON.stringify(v ?? null);

/** The plain-text report: one line per script, the totals, then what went wrong where. */
export function formatScore(scores: ScriptScore[]): string {
  const t = totals(scores);
  const width = Math.max(6, ...scores.map((s) => s.file.length));
  const lines = [`${'script'.padEnd(width)}  fields  wrong  re-asks  repeats  outcome`];
  const outcome = (s: ScriptScore) => (s.outcome.ok ? 'ok' : `${s.outcome.got} (expected ${s.outcome.expected})`) + (s.stuck ? ', stuck' : '');
  for (const s of scores)
    lines.push(
      `${s.file.padEnd(width)}  ${`${s.fields.right}/${s.fields.expected}`.padStart(6)}  ${String(s.wrongUnconfirmed.length).padStart(5)}  ${String(s.reasks.length).padStart(7)}  ${String(s.repeats.length).padStart(7)}  ${outcome(s)}`,
    );
  lines.push(
    '',
    `scripts: ${t.scripts} (${t.failedScripts} with failed expectations)`,
    `fields right: ${t.fields.right}/${t.fields.expected} (${t.fields.percent.toFixed(1)}%)`,
    `wrong values stored without a confirmed read-back: ${t.wrongUnconfirmed}`,
    `re-asks (question for a slot already given): ${t.reasks}`,
    `questions for words the caller had already said but the flow did not keep: ${t.alreadySaid}`,
    `repeated agent sentences (distinct, per call): ${t.repeats}`,
    `calls stuck until the turn limit: ${t.stuck}`,
    `outcomes matched: ${t.outcomes.matched}/${t.outcomes.expected}`,
    ...formatFieldTotals(t.byField),
  );
  const detail = scores.filter((s) => s.failures.length || s.wrongUnconfirmed.length || s.reasks.length || s.alreadySaid.length || s.repeats.length || s.stuck);
  if (detail.length) lines.push('', 'per script:');
  for (const s of detail) {
    lines.push(`  ${s.file}`);
    for (const f of s.failures) lines.push(`    failed: ${f}`);
    for (const w of s.wrongUnconfirmed) lines.push(`    wrong without read-back: ${w.slot} = ${show(w.got)} (meant ${show(w.expected)})`);
    for (const r of s.reasks) lines.push(`    re-asked: ${r.slot} (already ${show(r.value)})`);
    for (const slot of s.alreadySaid) lines.push(`    asked for what the caller had already said: ${slot}`);
    if (s.stuck) lines.push('    stuck: the flow was still waiting when the simulation stopped');
    for (const r of s.repeats) lines.push(`    said ${r.times} times: "${r.sentence}"`);
  }
  return lines.join('\n');
}
