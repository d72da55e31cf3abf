// Online understanding: ONE structured LLM request per final utterance (strict schema from the slots in scope), run
// beside the deterministic offline interpretation, which is both the vote against it and the fallback. A second
// request (Monte Carlo samples, `n` in one request where the server honours it) is made only when the reply holds a
// name or date that only the model heard and whose read-back depends on agreement; it runs under the same deadline and
// hands the engine a late verdict when it outlasts the inline budget. At the deadline, or on any error (HTTP, timeout,
// invalid JSON, schema), the offline interpretation is returned with `by: 'offline'`: never an exception, never silence.
import type { Logger } from '../../observability/logger.js';
import { emptyInterpretation, type Interpretation, type SlotFill, type UnderstandingContext } from '../interpretation.js';
import { SampleError, type LlmClient } from '../llm-client.js';
import { comparisonKey, laplaceConsistency } from '../monte-carlo.js';
import { thresholdOf } from '../policy.js';
import { redactCardNumbers } from '../redact.js';
import type { Extraction, SlotSpec, UtteranceInput, Verdict } from '../types.js';
import { readReply } from './llm-reading.js';
import { understandOffline } from './offline.js';
import { LOOSE_UNDERSTANDING_SCHEMA, understandingMessages, understandingSchema, type LlmUnderstanding } from './schema.js';
import { agreementDecides, voteInterpretations } from './vote.js';

export interface OnlineUnderstandingSettings {
  /** The interpretation is returned by this time (ms from the call); ctx.deadlineMs overrides it per utterance. */
  deadlineMs: number;
  /** Ask for the reply as SSE (`stream: true`) instead of one JSON response. */
  stream: boolean;
  /** Monte Carlo samples for a name or date only the model heard (asked as `n` in one request where honoured). */
  samples: number;
  /** Sampling temperature for those samples; the first reading is at temperature 0. */
  temperature: number;
  /**
   * How long to wait for the samples before handing the engine a late verdict (ms). 0 by default: a second round trip
   * rarely fits in a turn, and the engine applies a late verdict on its next event (doubt becomes a read-back).
   */
  inlineBudgetMs: number;
}

export const ONLINE_UNDERSTANDING_DEFAULTS = {
  deadlineMs: 1200,
  stream: false,
  samples: 4,
  temperature: 0.7,
  inlineBudgetMs: 0,
} as const satisfies OnlineUnderstandingSettings;

/** Fills defaults and rejects nonsense with every problem named at once (checked when the reasoner is built). */
export function onlineUnderstandingSettings(partial: Partial<OnlineUnderstandingSettings> = {}): OnlineUnderstandingSettings {
  const o = { ...ONLINE_UNDERSTANDING_DEFAULTS, ...partial };
  const problems: string[] = [];
  if (!(o.deadlineMs > 0 && Number.isFinite(o.deadlineMs))) problems.push(`deadlineMs must be a positive number, got ${o.deadlineMs}`);
  if (!Number.isInteger(o.samples) || o.samples < 1 || o.samples > 20) problems.push(`samples must be an integer from 1 to 20, got ${o.samples}`);
  if (!(o.temperature > 0 && o.temperature <= 2)) problems.push(`temperature must be in (0, 2], got ${o.temperature}`);
  if (!(o.inlineBudgetMs >= 0 && Number.isFinite(o.inlineBudgetMs))) problems.push(`inlineBudgetMs must be >= 0, got ${o.inlineBudgetMs}`);
  if (typeof o.stream !== 'boolean') problems.push(`stream must be true or false, got ${String(o.stream)}`);
  if (problems.length) throw new RangeError(`online understanding: ${problems.join('; ')}`);
  return o;
}

export interface UnderstandingReport {
  by: Interpretation['by'];
  latencyMs: number;
  /** LLM requests made for this utterance (0 for an empty one). */
  requests: number;
  /** Why the offline interpretation was used, when it was. */
  fallback?: 'deadline' | 'request' | 'parse' | 'schema' | 'error';
  /** Slots sent for Monte Carlo samples. */
  sampled: string[];
}

export interface OnlineUnderstandingDeps {
  client: LlmClient;
  log: Logger;
  /** The deterministic extract building block (never an LLM call): the offline reading and the fallback. */
  extract: (slot: SlotSpec, input: UtteranceInput, ctx: UnderstandingContext) => Promise<Extraction>;
  settings: OnlineUnderstandingSettings;
  onUnderstanding?: (r: UnderstandingReport) => void;
}

class Deadline extends Error {
  constructor(ms: number) {
    super(`understanding deadline of ${ms} ms reached`);
    this.name = 'Deadline';
  }
}

const delay = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)).unref?.());

export async function understandOnline(d: OnlineUnderstandingDeps, input: UtteranceInput, ctx: UnderstandingContext): Promise<Interpretation> {
  const started = performance.now();
  const s = d.settings;
  const deadlineMs = ctx.deadlineMs ?? s.deadlineMs;
  const elapsed = () => performance.now() - started;
  const offlineP = understandOffline(input, ctx, d.extract).catch((err: unknown) => {
    d.log.error({ err: String(err) }, 'offline understanding failed');
    return emptyInterpretation('offline');
  });
  let requests = 0;
  const report = (r: Omit<UnderstandingReport, 'latencyMs' | 'requests'>) => d.onUnderstanding?.({ ...r, latencyMs: elapsed(), requests });
  if (!redactCardNumbers(input.text).trim()) {
    const off = await offlineP;
    report({ by: off.by, sampled: [] });
    return off;
  }
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'deadline'>((resolve) => {
    timer = setTimeout(() => { controller.abort(new Deadline(deadlineMs)); resolve('deadline'); }, deadlineMs);
  });
  const release = () => { clearTimeout(timer); controller.abort(); };
  const fallback = async (why: NonNullable<UnderstandingReport['fallback']>, detail: string): Promise<Interpretation> => {
    release();
    const off = await offlineP;
    // A parse or schema error quotes the model's reply, which may hold the caller's words: only the kind is logged.
    d.log.warn({ fallback: why, ...(why === 'request' || why === 'deadline' ? { detail } : {}), latencyMs: Math.round(elapsed()) }, 'online understanding unavailable; offline interpretation used');
    report({ by: 'offline', fallback: why, sampled: [] });
    return { ...off, by: 'offline' };
  };
  try {
    requests += 1;
    const asked = d.client.jsonSamples<LlmUnderstanding>({
      messages: understandingMessages(input, ctx),
      schema: understandingSchema(ctx),
      localSchema: LOOSE_UNDERSTANDING_SCHEMA,
      temperature: 0,
      signal: controller.signal,
      timeoutMs: deadlineMs,
      stream: s.stream,
    }, 1);
    const got = await Promise.race([asked, deadline]);
    if (got === 'deadline') return await fallback('deadline', `no reply within ${deadlineMs} ms`);
    const replies = got.filter((r): r is LlmUnderstanding => !(r instanceof SampleError));
    if (replies.length === 0) {
      const e = got.find((r): r is SampleError => r instanceof SampleError);
      return await fallback(e?.kind ?? 'request', e?.message ?? 'no choice returned');
    }
    const reading = readReply(replies[0]!, input, ctx);
    if (reading.dropped.length) d.log.debug({ dropped: reading.dropped }, 'parts of the model reply were dropped');
    const offline = await offlineP;
    const merged = voteInterpretations(offline, reading, ctx, input.text);
    const spec = new Map(ctx.slotsInScope.map((x) => [x.name, x]));
    // Only what the model alone heard, for a slot whose read-back depends on agreement, is worth more samples.
    const doubtful = merged.fills.filter((f) => {
      const slot = spec.get(f.slot);
      return slot && agreementDecides(slot) && !f.confirm && reading.fills.has(f.slot) && !offline.fills.some((o) => o.slot === f.slot);
    });
    if (doubtful.length === 0) {
      release();
      report({ by: merged.by, sampled: [] });
      return merged;
    }
    requests += 1;
    const slots = doubtful.map((f) => spec.get(f.slot)!);
    const verdicts = sample(d, input, ctx, slots, doubtful, controller.signal, deadlineMs - elapsed());
    void verdicts.finally(release);
    const quick = await Promise.race([verdicts, delay(Math.min(s.inlineBudgetMs, deadlineMs - elapsed())).then(() => null)]);
    const fills = merged.fills.map((f) => {
      const i = doubtful.indexOf(f);
      if (i < 0) return f;
      if (quick) return applyVerdict(f, spec.get(f.slot)!, quick[i]!);
      // The conversation moves on; a verdict below the threshold later becomes a read-back.
      return { ...f, lateVerdict: verdicts.then((v) => v[i]!) };
    });
    report({ by: merged.by, sampled: slots.map((x) => x.name) });
    return { ...merged, fills };
  } catch (err) {
    return await fallback('error', err instanceof Error ? err.message : String(err));
  }
}

type SampledVerdict = Verdict & { agree: number };

/** Monte Carlo: `samples` re-readings of just these slots, each scored by Laplace-smoothed agreement with the value. */
async function sample(
  d: OnlineUnderstandingDeps, input: UtteranceInput, ctx: UnderstandingContext, slots: SlotSpec[], fills: SlotFill[], signal: AbortSignal, leftMs: number,
): Promise<SampledVerdict[]> {
  const none = fills.map((): SampledVerdict => ({ consistency: 0, samples: 0, agree: 0 }));
  if (leftMs < 20) return none;
  try {
    const got = await d.client.jsonSamples<LlmUnderstanding>({
      messages: understandingMessages(input, ctx, slots),
      schema: understandingSchema(ctx, slots),
      localSchema: LOOSE_UNDERSTANDING_SCHEMA,
      temperature: d.settings.temperature,
      signal,
      timeoutMs: leftMs,
      stream: d.settings.stream,
    }, d.settings.samples);
    const replies = got.filter((r): r is LlmUnderstanding => !(r instanceof SampleError));
    if (signal.aborted || replies.length === 0) return none;
    const readings = replies.map((r) => readReply(r, input, ctx));
    return fills.map((f, i) => {
      const key = comparisonKey(slots[i]!);
      const values = readings.map((r) => r.fills.get(f.slot)?.value);
      const agree = values.filter((v) => v !== undefined && key(v) === key(f.value)).length;
      const counts = new Map<string, number>();
      for (const v of values) if (v !== undefined) counts.set(key(v), (counts.get(key(v)) ?? 0) + 1);
      const modeKey = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
      const mode = values.find((v) => v !== undefined && key(v) === modeKey);
      return { consistency: laplaceConsistency(agree, readings.length), ...(mode !== undefined ? { value: mode } : {}), samples: readings.length, agree };
    });
  } catch (err) {
    d.log.debug({ err: String(err) }, 'Monte Carlo samples failed');
    return none;
  }
}

function applyVerdict(f: SlotFill, slot: SlotSpec, v: SampledVerdict): SlotFill {
  const key = comparisonKey(slot);
  const agrees = v.value !== undefined && key(v.value) === key(f.value);
  const sure = v.samples > 0 && agrees && v.consistency >= thresholdOf(slot);
  const reason = v.samples === 0 ? 'no samples in time; read back' : `language model samples agree ${v.agree}/${v.samples}`;
  return { ...f, confidence: v.samples > 0 ? v.consistency : Math.min(f.confidence, 0.5), confirm: !sure && slot.confirm !== 'never', ...(!sure ? { reason } : {}) };
}
