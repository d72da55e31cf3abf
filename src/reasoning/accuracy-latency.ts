// Validator latency: how long the Monte Carlo validator takes to reach a verdict (inline or late) per extraction,
// against an OpenAI-compatible server. By default the local fake OpenAI server (src/bench/fakes, shipped so
// `hermes accuracy` works in the runtime image) answers with the corpus value after a fixed latency; for every fifth case
// one sample disagrees, so the measurement includes read-backs.
import pLimit from 'p-limit';
import { silentLogger } from '../observability/logger.js';
import { startFakeOpenAI } from '../bench/fakes/openai-server.js';
import { LlmClient } from './llm-client.js';
import { createOnlineReasoner } from './online.js';
import type { ReasoningContext, SlotSpec, SlotValue } from './types.js';

export interface LatencyCase {
  slot: SlotSpec;
  say: string;
  expect: SlotValue;
  ctx: ReasoningContext;
}

export interface LatencyReport {
  server: string;
  honourN: boolean;
  fakeLatencyMs: number | null;
  deadlineMs: number;
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
  withinDeadline: boolean;
  readBacks: number;
  /** The first, untimed extraction of the run (connection setup, SDK start-up). */
  coldStartMs: number;
}

export interface LatencyOptions {
  honourN: boolean;
  fakeLatencyMs: number;
  deadlineMs: number;
  /** Extractions in flight at once (several calls at the same time). */
  concurrency?: number;
  llm?: { baseURL: string; apiKey: string; model: string };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

const WARM_UP_RUNS = 8;

const asAnswer = (v: SlotValue) => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));

export async function measureValidatorLatency(cases: LatencyCase[], o: LatencyOptions): Promise<LatencyReport> {
  const expected = new Map(cases.map((c, i) => [c.say, { value: c.expect, doubtful: i % 5 === 4 }]));
  const seen = new Map<string, number>();
  let fake: { baseURL: string; close(): Promise<void> } | null = null;
  if (!o.llm) {
    fake = await startFakeOpenAI({
      latencyMs: o.fakeLatencyMs,
      honourN: o.honourN,
      responder: (req) => {
        const user = req.messages.find((m) => m.role === 'user')?.content ?? '{}';
        const said = (JSON.parse(user) as { caller_said?: string }).caller_said ?? '';
        const want = expected.get(said);
        if (want === undefined) return JSON.stringify({ value: null });
        const nth = seen.get(said) ?? 0;
        seen.set(said, nth + 1);
        return JSON.stringify({ value: want.doubtful && nth === 0 ? `${asAnswer(want.value)}x` : asAnswer(want.value) });
      },
    });
  }
  const server = o.llm ?? { baseURL: fake!.baseURL, apiKey: 'fake', model: 'fake' };
  try {
    const client = new LlmClient({ ...server, timeoutMs: o.deadlineMs, maxRetries: 0, maxConcurrency: 16, useN: o.honourN });
    const reasoner = createOnlineReasoner({ client, log: silentLogger(), monteCarlo: { deadlineMs: o.deadlineMs } });
    const limit = pLimit(o.concurrency ?? 4);
    // Warm-up, untimed: the first requests of a process pay for connections, lazy module loading and JIT, which a
    // running server has already paid. The slowest warm-up extraction is reported as coldStartMs.
    const warmUp = await Promise.all(
      cases.slice(0, WARM_UP_RUNS).map((c) =>
        limit(async () => {
          const started = performance.now();
          const e = await reasoner.extract(c.slot, { text: c.say, alternatives: [], confidence: 1 }, { ...c.ctx, deadlineMs: o.deadlineMs });
          if (e.lateVerdict) await e.lateVerdict;
          return performance.now() - started;
        }),
      ),
    );
    const coldStartMs = Math.round(Math.max(0, ...warmUp));
    let readBacks = 0;
    const times = await Promise.all(
      cases.map((c) =>
        limit(async () => {
          const started = performance.now();
          const e = await reasoner.extract(c.slot, { text: c.say, alternatives: [], confidence: 1 }, { ...c.ctx, deadlineMs: o.deadlineMs });
          const v = e.lateVerdict ? await e.lateVerdict : null;
          const threshold = c.slot.threshold ?? 0.8;
          if (e.confirm || (v && v.consistency < threshold)) readBacks += 1;
          return performance.now() - started;
        }),
      ),
    );
    const sorted = [...times].sort((a, b) => a - b);
    const p95 = percentile(sorted, 95);
    return {
      server: o.llm ? o.llm.baseURL : 'local fake OpenAI server',
      honourN: o.honourN,
      fakeLatencyMs: o.llm ? null : o.fakeLatencyMs,
      deadlineMs: o.deadlineMs,
      runs: times.length,
      p50Ms: Math.round(percentile(sorted, 50)),
      p95Ms: Math.round(p95),
      maxMs: Math.round(sorted[sorted.length - 1] ?? 0),
      withinDeadline: p95 <= o.deadlineMs,
      readBacks,
      coldStartMs,
    };
  } finally {
    await fake?.close();
  }
}
