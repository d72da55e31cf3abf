// Tree of Thought for a flow's `decide` steps, as the engine calls it: the k paths as n choices of one request where
// the server honours n, parallel requests where it does not, the rule path at the deadline or on any error.
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/observability/logger.js';
import { LlmClient } from '../../src/reasoning/llm-client.js';
import { createOnlineReasoner } from '../../src/reasoning/online.js';
import type { ReasoningContext, UtteranceInput } from '../../src/reasoning/types.js';
import { startFakeOpenAI, type FakeOpenAI, type Responder } from '../../src/bench/fakes/openai-server.js';

const ctxFor = (extra: Partial<ReasoningContext> = {}): ReasoningContext => ({
  now: new Date('2026-11-26T15:00:00Z'), timezone: 'America/Chicago', defaultRegion: 'US', language: 'en', transcript: [], slots: {}, ...extra,
});
const said = (text: string): UtteranceInput => ({ text, alternatives: [], confidence: 1 });

let fake: FakeOpenAI | undefined;
afterEach(async () => { await fake?.close(); fake = undefined; });

function reasonerFor(f: FakeOpenAI, useN = true) {
  const client = new LlmClient({ apiKey: 'test', baseURL: f.baseURL, model: 'fake', timeoutMs: 3000, maxRetries: 0, useN });
  return { r: createOnlineReasoner({ client, log: silentLogger() }) };
}
async function start(responder: Responder) {
  fake = await startFakeOpenAI({ responder });
  return fake;
}

describe('decide on the call path', () => {
  const emergency = { name: 'is_emergency', question: 'Is this an emergency?', options: ['yes', 'no'] };
  const path = (conclusion: string) => JSON.stringify({ steps: ['someone is in custody now'], conclusion, confidence: 0.9 });

  it('asks for the k reasoning paths as n choices of one request', async () => {
    const f = await start(() => path('yes'));
    const { r } = reasonerFor(f);
    const d = await r.decide(emergency, said('they took my son to the county lockup an hour ago'), ctxFor());
    expect(f.requests).toHaveLength(1);
    expect(f.requests[0]!.body.n).toBe(3);
    expect(d.choice).toBe('yes');
    expect(d.confidence).toBeGreaterThan(0.8);
  });

  it('spreads the paths over parallel requests where the server ignores n', async () => {
    fake = await startFakeOpenAI({ honourN: false, responder: () => path('no') });
    const { r } = reasonerFor(fake, false);
    const d = await r.decide(emergency, said('I would like to update my will'), ctxFor());
    expect(fake.requests).toHaveLength(3);
    expect(d.choice).toBe('no');
  });

  it('decides by the rules at the deadline', async () => {
    fake = await startFakeOpenAI({ latencyMs: 3000, responder: () => path('no') });
    const { r } = reasonerFor(fake);
    const started = performance.now();
    const d = await r.decide(emergency, said('I was arrested and I have a hearing tomorrow'), ctxFor({ deadlineMs: 250 }));
    expect(performance.now() - started).toBeLessThan(1500);
    expect(d.choice).toBe('yes');
    expect(d.rationale[0]).toMatch(/rule path/);
  });

  it('decides by the rules instead of throwing on a decision it cannot ask', async () => {
    const f = await start(() => path('yes'));
    const { r } = reasonerFor(f);
    const d = await r.decide({ name: 'x', question: 'Is this an emergency?', options: [] }, said('hello'), ctxFor());
    expect(d.choice).toBeNull();
    expect(d.rationale[0]).toMatch(/rule path/);
  });
});
