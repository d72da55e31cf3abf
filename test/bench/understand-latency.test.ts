// The online understanding benchmark, small: with the fake answering in 300 ms, every utterance waits for the model
// (nothing is faster than the fake), none falls back to offline, and only replies holding a name or date that only
// the model heard cost a second request.
import { describe, expect, it } from 'vitest';
import { measureUnderstandingLatency } from './understand-latency.js';

describe('online understanding latency', () => {
  it('answers every utterance from the model within the deadline with about one request each', async () => {
    const m = await measureUnderstandingLatency({ utterances: 40, latencyMs: 300, concurrency: 4, stream: false, deadlineMs: 4000 });
    expect(m.fallbacks).toBe(0);
    expect(m.p50Ms).toBeGreaterThanOrEqual(300);
    expect(m.p95Ms).toBeLessThan(4000);
    // One request per utterance, plus one sample request for a name or date only the model heard; offline now
    // places most volunteered dates itself, so those agree and cost nothing more (at most 4 here).
    expect(m.requests).toBeGreaterThanOrEqual(40);
    expect(m.requests).toBeLessThanOrEqual(44);
  }, 60_000);
});
