// The confirmation policy seen from the flow: when the model and the normalisers (or the model's own samples) disagree,
// the engine reads the value back instead of accepting it; when they agree it moves on. Real flow, real engine, real openai SDK, fake server.
import { afterEach, describe, expect, it } from 'vitest';
import { createConversation, loadFlow, restoreConversation } from '../../src/flows/index.js';
import type { Command } from '../../src/flows/commands.js';
import { LlmClient } from '../../src/reasoning/llm-client.js';
import { createOnlineReasoner } from '../../src/reasoning/online.js';
import { createOfflineReasoner } from '../../src/reasoning/offline.js';
import type { Reasoner } from '../../src/reasoning/types.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startFakeOpenAI, type ChatRequestBody, type FakeOpenAI, type Responder } from '../../src/bench/fakes/openai-server.js';

let fake: FakeOpenAI | undefined;
afterEach(async () => { await fake?.close(); fake = undefined; });

const said = (text: string) => ({ type: 'utterance' as const, text, alternatives: [], confidence: 0.95, final: true });
const spoken = (cmds: Command[]) => cmds.filter((c): c is Extract<Command, { type: 'say' }> => c.type === 'say').map((c) => c.text).join(' | ');

async function conversation(reasoner: Reasoner, file = 'flows/intake.yaml') {
  const flow = await loadFlow(file);
  // A weekday morning in Chicago, so the flow runs its office-hours path.
  const facts = { callSid: 'CAtest', from: '+13125550100', to: '+13125550199', startedAt: new Date('2026-11-24T15:00:00Z'), channel: 'chat' as const };
  // The open start ("How can I help you today?") is answered offline, then the call goes on with `reasoner`, so the
  // fake LLM only sees the utterances under test.
  const opening = createConversation(flow, facts, { reasoner: createOfflineReasoner(), now: () => facts.startedAt });
  await opening.start();
  await opening.handle(said('I was in a car accident'));
  return restoreConversation(flow, facts, { reasoner, now: () => facts.startedAt }, opening.snapshot());
}

// The model's reply to the one understanding request per utterance, and to the Monte Carlo re-reading.
const understood = (name: string | null) => JSON.stringify({
  fills: name ? [{ slot: 'caller_name', value: name, source: name }] : [], corrections: [], requests: [], questions: [], affirm: null, language: null,
});
const isSamples = (r: ChatRequestBody) => r.response_format?.json_schema?.name === 'caller_utterance_fills';

async function online(responder: Responder, inlineBudgetMs = 1000, latencyMs: (call: number) => number = () => 0) {
  fake = await startFakeOpenAI({ responder, latencyMs });
  const client = new LlmClient({ apiKey: 'test', baseURL: fake.baseURL, model: 'fake', timeoutMs: 2000, maxRetries: 0 });
  return createOnlineReasoner({ client, log: silentLogger(), understanding: { inlineBudgetMs } });
}
// The online cases run on a small flow of their own (name, then "what happened"), apart from the bundled one.
const SMALL = 'test/reasoning/fixtures/online-calls.yaml';

describe('read-back from the flow', () => {
  it('reads a name back when the model hears a different name than the normalisers', async () => {
    const c = await conversation(await online(() => understood('Mario Gonzales')), SMALL);
    const out = spoken(await c.handle(said('my name is maria gonzalez')));
    expect(out).toMatch(/Maria Gonzalez/);
    expect(out).not.toMatch(/what happened/i);
    expect(fake!.requests).toHaveLength(1);
  });

  it('accepts a name silently when the model and the normalisers agree, and moves on', async () => {
    const c = await conversation(await online(() => understood('Maria Gonzalez')), SMALL);
    const out = spoken(await c.handle(said('my name is maria gonzalez')));
    expect(out).toMatch(/what happened/i);
    expect(out).not.toMatch(/Maria Gonzalez/);
    expect(fake!.requests).toHaveLength(1);
  });

  it('moves on while the samples of a name only the model heard run, then turns a doubtful late verdict into a read-back', async () => {
    const names = ['Ann Lee', 'Anne Leigh', 'Ann Lee', 'Anne Lee'];
    const c = await conversation(await online((r, i) => understood(isSamples(r) ? names[i]! : 'Ann Lee'), 10, (call) => (call === 0 ? 0 : 150)), SMALL);
    const first = spoken(await c.handle(said('you can put me down as Ann Lee please')));
    expect(first).toMatch(/what happened/i); // no silence while the samples are drawn
    await new Promise((r) => setTimeout(r, 1200));
    expect(fake!.requests.filter((q) => isSamples(q.body))).toHaveLength(1);
    const next = spoken(await c.handle(said('a truck hit my car')));
    expect(next).toMatch(/Ann Lee/);
  });

  it('offline, reads a spoken phone number back as grouped digits', async () => {
    const c = await conversation(createOfflineReasoner());
    await c.handle(said('my name is Maria Gonzalez'));
    await c.handle(said('no'));
    await c.handle(said('no'));
    const afterParty = await c.handle(said('none'));
    const all: Command[] = [...afterParty];
    for (const cmd of afterParty) if (cmd.type === 'effect') all.push(...(await c.handle({ type: 'effectResult', id: cmd.id, ok: true, data: { conflict: false } })));
    const out = spoken(await c.handle(said('my number is three one two, five five five, oh one four two')));
    expect(out).toMatch(/three one two, five five five, zero one four two/);
  });
});
