// Measurement: field accuracy of the offline extractors on the spoken-form corpus (corpus/*.yaml, shipped with the package), and the
// Monte Carlo validator's decision latency against an OpenAI-compatible server (by default the local fake with 300 ms
// latency). Used by `hermes accuracy` and `hermes bench --accuracy`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { packagePath } from '../paths.js';
import type { LatencyReport } from './accuracy-latency.js';
import { MONTE_CARLO_DEFAULTS } from './monte-carlo.js';
import { createOfflineReasoner, sameValue } from './offline.js';
import type { DecisionSpec, Extraction, ReasoningContext, SlotSpec, SlotValue } from './types.js';

export const DEFAULT_CORPUS_DIR = packagePath('corpus');

export interface CorpusCase {
  say: string;
  expect?: SlotValue;
  status?: 'invalid' | 'none';
  prev?: SlotValue;
  tags: string[];
  note?: string;
}

export interface CorpusFile {
  file: string;
  slot: SlotSpec;
  context: { now: string; timezone: string; region: string };
  cases: CorpusCase[];
}

export function loadCorpus(dir = DEFAULT_CORPUS_DIR): CorpusFile[] {
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  return files.map((file) => {
    const raw = parse(readFileSync(join(dir, file), 'utf8')) as Omit<CorpusFile, 'file'>;
    if (!raw?.slot?.type || !Array.isArray(raw.cases)) throw new Error(`${file}: expected "slot" with a type and a "cases" list`);
    raw.cases.forEach((c, i) => {
      if (typeof c.say !== 'string') throw new Error(`${file}: case ${i + 1} has no "say"`);
      if (c.expect === undefined && c.status === undefined) throw new Error(`${file}: case ${i + 1} ("${c.say}") needs "expect" or "status"`);
    });
    return { file, ...raw };
  });
}

/** Address and free text are compared without case or punctuation; everything else exactly. */
export function matches(type: SlotSpec['type'], got: SlotValue | undefined, want: SlotValue): boolean {
  if (type === 'address' || type === 'text') {
    const f = (v: SlotValue | undefined) => String(v ?? '').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
    return f(got) === f(want);
  }
  if (typeof want === 'string' && typeof got === 'string') return type === 'person_name' ? got === want : sameValue(got, want);
  return got === want;
}

const DEFAULT_FILE: CorpusFile = {
  file: '', slot: { name: 'x', type: 'text', confirm: 'never' }, context: { now: new Date().toISOString(), timezone: 'UTC', region: 'US' }, cases: [],
};

const ctxOf = (f: CorpusFile, c: CorpusCase): ReasoningContext => ({
  now: new Date(f.context.now),
  timezone: f.context.timezone,
  defaultRegion: f.context.region,
  language: c.tags.includes('es') ? 'es' : 'en',
  transcript: [],
  slots: c.prev !== undefined ? { [f.slot.name]: c.prev } : {},
});

export function caseCorrect(f: CorpusFile, c: CorpusCase, e: Extraction): boolean {
  if (c.status) return e.status === c.status;
  return e.status === 'ok' && matches(f.slot.type, e.value, c.expect!);
}

export interface DecisionFile {
  file: string;
  decision: DecisionSpec;
  cases: { say: string; expect: string; tags: string[]; note?: string }[];
}

/** Decision corpora (corpus/decisions/*.yaml): what callers say, and the choice a receptionist should make. */
export function loadDecisions(dir = join(DEFAULT_CORPUS_DIR, 'decisions')): DecisionFile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort().map((file) => {
    const raw = parse(readFileSync(join(dir, file), 'utf8')) as Omit<DecisionFile, 'file'>;
    if (!raw?.decision?.options?.length || !Array.isArray(raw.cases)) throw new Error(`decisions/${file}: expected "decision" with options and a "cases" list`);
    return { file: `decisions/${file}`, ...raw };
  });
}

export interface Tally { total: number; correct: number; accuracy: number }
export interface AccuracyFailure { file: string; say: string; expected: string; got: string }

export type { LatencyReport };

export interface AccuracyReport {
  total: number;
  correct: number;
  accuracy: number;
  byType: Record<string, Tally>;
  byTag: Record<string, Tally>;
  /** The offline rule path on the decision corpora, per decision. */
  decisions: Record<string, Tally>;
  failures: AccuracyFailure[];
  latency: LatencyReport[];
}

export interface AccuracyOptions {
  corpusDir?: string;
  /** Validator latency runs per server mode; 0 skips the latency measurement. */
  latencyRuns?: number;
  fakeLatencyMs?: number;
  deadlineMs?: number;
  /** Measure against this OpenAI-compatible server instead of the local fake. */
  llm?: { baseURL: string; apiKey: string; model: string };
}

const tally = (): Tally => ({ total: 0, correct: 0, accuracy: 0 });
const show = (v: unknown) => (v === undefined ? '-' : JSON.stringify(v));

export async function runAccuracyReport(opts: AccuracyOptions = {}): Promise<AccuracyReport> {
  const corpus = loadCorpus(opts.corpusDir);
  const reasoner = createOfflineReasoner();
  const byType: Record<string, Tally> = {};
  const byTag: Record<string, Tally> = {};
  const failures: AccuracyFailure[] = [];
  let total = 0;
  let correct = 0;
  for (const f of corpus) {
    for (const c of f.cases) {
      const e = await reasoner.extract(f.slot, { text: c.say, alternatives: [], confidence: 1 }, ctxOf(f, c));
      const ok = caseCorrect(f, c, e);
      total += 1;
      if (ok) correct += 1;
      for (const [key, map] of [[f.slot.type, byType], ...c.tags.map((t) => [t, byTag] as const)] as const) {
        const t = (map[key] ??= tally());
        t.total += 1;
        if (ok) t.correct += 1;
      }
      if (!ok) failures.push({ file: f.file, say: c.say, expected: c.status ?? show(c.expect), got: e.status === 'ok' ? show(e.value) : `${e.status}${e.reason ? ` (${e.reason})` : ''}` });
    }
  }
  const decisions: Record<string, Tally> = {};
  for (const f of loadDecisions(opts.corpusDir ? join(opts.corpusDir, 'decisions') : undefined)) {
    const t = (decisions[f.decision.name] ??= tally());
    for (const c of f.cases) {
      const d = await reasoner.decide(f.decision, { text: c.say, alternatives: [], confidence: 1 }, ctxOf(corpus[0] ?? DEFAULT_FILE, { say: c.say, tags: c.tags }));
      t.total += 1;
      if (d.choice === c.expect) t.correct += 1;
      else failures.push({ file: f.file, say: c.say, expected: c.expect, got: String(d.choice) });
    }
  }
  for (const t of [...Object.values(byType), ...Object.values(byTag), ...Object.values(decisions)]) t.accuracy = t.correct / t.total;
  const latency: LatencyReport[] = [];
  const runs = opts.latencyRuns ?? 40;
  if (runs > 0) {
    const { measureValidatorLatency } = await import('./accuracy-latency.js');
    const samples = corpus.flatMap((f) => f.cases.filter((c) => c.expect !== undefined).map((c) => ({ f, c })));
    const pick = Array.from({ length: runs }, (_, i) => samples[Math.floor((i * samples.length) / runs)]!);
    for (const honourN of opts.llm ? [true] : [true, false]) {
      latency.push(await measureValidatorLatency(pick.map(({ f, c }) => ({ slot: f.slot, say: c.say, expect: c.expect!, ctx: ctxOf(f, c) })), {
        honourN, fakeLatencyMs: opts.fakeLatencyMs ?? 300, deadlineMs: opts.deadlineMs ?? MONTE_CARLO_DEFAULTS.deadlineMs, ...(opts.llm ? { llm: opts.llm } : {}),
      }));
    }
  }
  return { total, correct, accuracy: correct / total, byType, byTag, decisions, failures, latency };
}

