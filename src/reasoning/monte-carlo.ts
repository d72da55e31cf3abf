// The Monte Carlo validator: draws N independent samples of a value (batched, concurrency-limited, under a deadline),
// normalises and compares them, and scores how consistently they agree. With few samples a raw share overstates
// certainty (1 of 1 is not "100% sure"), so the score uses Laplace's rule of succession: (agree + 1) / (n + 2).
import pLimit from 'p-limit';
import type { SlotSpec, SlotValue, Verdict } from './types.js';

export interface MonteCarloOptions {
  /** Total samples N. */
  samples: number;
  /** Samples asked for per request (the `n` of one call). */
  batchSize: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Sampling temperature; samples must be able to disagree, so not 0. */
  temperature: number;
  /** The verdict is returned by this time with whatever samples arrived. */
  deadlineMs: number;
}

export const MONTE_CARLO_DEFAULTS = {
  samples: 5,
  batchSize: 5,
  concurrency: 3,
  temperature: 0.7,
  deadlineMs: 1200,
} as const satisfies MonteCarloOptions;

export class MonteCarloParameterError extends Error {
  constructor(readonly problems: string[]) {
    super(`Monte Carlo validator: ${problems.join('; ')}`);
    this.name = 'MonteCarloParameterError';
  }
}

/** Fills defaults and rejects nonsense with every problem named at once. */
export function monteCarloOptions(partial: Partial<MonteCarloOptions> = {}): MonteCarloOptions {
  const o = { ...MONTE_CARLO_DEFAULTS, ...partial };
  const problems: string[] = [];
  if (!Number.isInteger(o.samples) || o.samples < 1 || o.samples > 50) problems.push(`samples must be an integer from 1 to 50, got ${o.samples}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) problems.push(`batchSize must be a positive integer, got ${o.batchSize}`);
  if (!Number.isInteger(o.concurrency) || o.concurrency < 1 || o.concurrency > 16) problems.push(`concurrency must be an integer from 1 to 16, got ${o.concurrency}`);
  if (!(o.temperature > 0 && o.temperature <= 2)) problems.push(`temperature must be in (0, 2], got ${o.temperature}`);
  if (!(o.deadlineMs > 0 && Number.isFinite(o.deadlineMs))) problems.push(`deadlineMs must be a positive number, got ${o.deadlineMs}`);
  if (problems.length) throw new MonteCarloParameterError(problems);
  return { ...o, batchSize: Math.min(o.batchSize, o.samples) };
}

/** Laplace-smoothed agreement: (agree + 1) / (n + 2). 0 samples -> 0 (no evidence is never "sure"). */
export function laplaceConsistency(agree: number, n: number): number {
  if (!(n >= 0) || !(agree >= 0) || agree > n) throw new RangeError(`need 0 <= agree <= n, got agree=${agree} n=${n}`);
  if (n === 0) return 0;
  return (agree + 1) / (n + 2);
}

/** Wilson score lower bound, a stricter alternative for callers who want it. */
export function wilsonLowerBound(agree: number, n: number, z = 1.0): number {
  if (n === 0) return 0;
  const p = agree / n;
  const z2 = z * z;
  return (p + z2 / (2 * n) - z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n)) / (1 + z2 / n);
}

/** One normalised sample: a value, null (the sampler saw no usable value) or an Error (the request failed). */
export type McSample = SlotValue | null | Error;

/** Draws `count` samples; values must already be normalised to the slot's canonical form. */
export type Sampler = (count: number, temperature: number, signal: AbortSignal) => Promise<McSample[]>;

export interface McVerdict extends Verdict {
  agree: number;
  failed: number;
  timedOut: boolean;
  latencyMs: number;
}

/** How values are compared: two samples agree when their keys are equal. Default: strings ignore case. */
export type ValueKey = (v: SlotValue) => string;
export const defaultKey: ValueKey = (v) => (typeof v === 'string' ? `s:${v.toLowerCase()}` : `${typeof v}:${String(v)}`);

const ADDRESS_WORDS: Record<string, string> = {
  n: 'north', s: 'south', e: 'east', w: 'west', st: 'street', ave: 'avenue', av: 'avenue', rd: 'road', dr: 'drive',
  blvd: 'boulevard', ln: 'lane', ct: 'court', pl: 'place', apt: 'apartment', ste: 'suite', hwy: 'highway', pkwy: 'parkway',
};

/** Samples agree when they name the same thing: addresses ignore abbreviations and punctuation, names ignore accents. */
export function comparisonKey(slot: SlotSpec): ValueKey {
  if (slot.type === 'address') {
    return (v) => String(v).toLowerCase().replace(/[^\p{L}\p{N}\s]/gu, ' ').split(/\s+/).filter(Boolean).map((w) => ADDRESS_WORDS[w] ?? w).join(' ');
  }
  if (slot.type === 'person_name') return (v) => String(v).normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[^a-z]+/g, ' ').trim();
  return defaultKey;
}

/**
 * Runs the sampler in batches and scores agreement with `candidate` (or, without one, with the most common value).
 * Unusable samples (null) count as disagreement; failed requests are not counted as samples at all.
 */
export async function monteCarloValidate(
  sampler: Sampler,
  candidate: SlotValue | undefined,
  options: Partial<MonteCarloOptions> = {},
  signal?: AbortSignal,
  key: ValueKey = defaultKey,
): Promise<McVerdict> {
  const o = monteCarloOptions(options);
  const started = performance.now();
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  let timedOut = false;
  const values: (SlotValue | null)[] = [];
  let failed = 0;
  const limit = pLimit(o.concurrency);
  const batches: number[] = [];
  for (let left = o.samples; left > 0; left -= o.batchSize) batches.push(Math.min(o.batchSize, left));
  const work = Promise.all(
    batches.map((count) =>
      limit(async () => {
        if (controller.signal.aborted) return;
        try {
          const got = await sampler(count, o.temperature, controller.signal);
          if (controller.signal.aborted && timedOut) return; // arrived after the verdict was taken
          for (const s of got.slice(0, count)) {
            if (s instanceof Error) failed += 1;
            else values.push(s);
          }
        } catch {
          failed += count;
        }
      }),
    ),
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => { timedOut = true; controller.abort(); resolve(); }, o.deadlineMs);
  });
  await Promise.race([work, deadline]);
  clearTimeout(timer);
  signal?.removeEventListener('abort', onAbort);
  if (!timedOut) controller.abort(); // nothing in flight, but release listeners held by the sampler
  const taken = [...values];
  let target: SlotValue | undefined = candidate;
  const counts = new Map<string, { v: SlotValue; c: number }>();
  for (const v of taken) {
    if (v === null) continue;
    const k = key(v);
    const e = counts.get(k);
    if (e) e.c += 1;
    else counts.set(k, { v, c: 1 });
  }
  const mode = [...counts.values()].sort((a, b) => b.c - a.c)[0];
  if (target === undefined) target = mode?.v;
  const targetKey = target === undefined ? undefined : key(target);
  const agree = targetKey === undefined ? 0 : taken.filter((v) => v !== null && key(v) === targetKey).length;
  return {
    consistency: laplaceConsistency(agree, taken.length),
    ...(mode ? { value: mode.v } : {}),
    samples: taken.length,
    agree,
    failed,
    timedOut,
    latencyMs: performance.now() - started,
  };
}
