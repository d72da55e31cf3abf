// The confirmation policy seen from the flow: with an LLM whose samples disagree, the engine reads the value back
// instead of accepting it; with agreeing samples it moves on. Real flow, real engine, real openai SDK, fake server.
import { afterEach, describe, expect, it } from 'vitest';
import { createConversation, loadFlow } from '../../src/flows/index.js';
import type { Command } from '../../src/flows/commands.js';
import { LlmClient } from '../../src/reasoning/llm-client.js';
import { createOnlineReasoner } from '../../src/reasoning/online.js';
import { createOfflineReasoner } from '../../src/reasoning/offline.js';
import type { Reasoner } from '../../src/reasoning/types.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startFakeOpenAI, type FakeOpenAI, type Responder } from '../../src/bench/fakes/openai-server.js';

let fake: FakeOpenAI | undefined;
afterEach(async () => { await fake?.close(); fake = undefined; });

const said = (text: string) => ({ type: 'utterance' as const, text, alternatives: [], confidence: 0.95, final: true });
const spoken = (cmds: Command[]) => cmds.filter((c): c is Extract<Command, { type: 'say' }> => c.type === 'say').map((c) => c.text).join(' | ');

async function conversation(reasoner: Reasoner) {
  const flow = await loadFlow('flows/intake.yaml');
  // A weekday morning in Chicago, so the flow runs its office-hours path.
  const c = createConversation(flow, { callSid: 'CAtest', from: '+13125550100', to: '+13125550199', startedAt: new Date('2026-11-24T15:00:00Z'), channel: 'chat' }, { reasoner, now: () => new Date('2026-11-24T15:00:00Z') });
  await c.start();
  return c;
}

async function online(responder: Responder, inlineBudgetMs = 1000) {
  fake = await startFakeOpenAI({ responder });
  const client = new LlmClient({ apiKey: 'test', baseURL: fake.baseURL, model: 'fake', timeoutMs: 2000, maxRetries: 0 });
  return createOnlineReasoner({ client, log: silentLogger(), inlineBudgetMs });
}

describe('read-back from the flow', () => {
  it('reads a name back when the LLM samples disagree', async () => {
    const names = ['Maria Gonzalez', 'Mario Gonzales', 'Maria Gonzalez', 'Marie Gonzalez', 'Maria Gonzalez'];
    const c = await conversation(await online((_r, i) => JSON.stringify({ value: names[i] })));
    const out = spoken(await c.handle(said('my name is maria gonzalez')));
    expect(out).toMatch(/Maria Gonzalez/);
    expect(out).not.toMatch(/emergency/i);
  });

  it('accepts a name silently when the samples agree, and moves on', async () => {
    const c = await conversation(await online(() => JSON.stringify({ value: 'Maria Gonzalez' })));
    const out = spoken(await c.handle(said('my name is maria gonzalez')));
    expect(out).toMatch(/emergency/i);
    expect(out).not.toMatch(/Maria Gonzalez/);
  });

  it('moves on while validation runs, then turns a late doubtful verdict into a read-back', async () => {
    const names = ['Ann Lee', 'Anne Leigh', 'Ann Lee', 'Anne Lee', 'Ann Leigh'];
    fake = await startFakeOpenAI({ latencyMs: 150, responder: (_r, i) => JSON.stringify({ value: names[i] }) });
    const client = new LlmClient({ apiKey: 'test', baseURL: fake.baseURL, model: 'fake', timeoutMs: 2000, maxRetries: 0 });
    const c = await conversation(createOnlineReasoner({ client, log: silentLogger(), inlineBudgetMs: 10 }));
    const first = spoken(await c.handle(said('my name is Ann Lee')));
    expect(first).toMatch(/emergency/i); // no silence while the validator works
    await new Promise((r) => setTimeout(r, 400));
    const next = spoken(await c.handle(said('no')));
    expect(next).toMatch(/Ann Lee/);
  });

  it('offline, reads a spoken phone number back as grouped digits', async () => {
    const c = await conversation(createOfflineReasoner());
    await c.handle(said('my name is Maria Gonzalez'));
    await c.handle(said('no'));
    await c.handle(said('no'));
    await c.handle(said('I was in a car accident'));
    const afterParty = await c.handle(said('none'));
    const all: Command[] = [...afterParty];
    for (const cmd of afterParty) if (cmd.type === 'effect') all.push(...(await c.handle({ type: 'effectResult', id: cmd.id, ok: true, data: { conflict: false } })));
    const out = spoken(await c.handle(said('my number is three one two, five five five, oh one four two')));
    expect(out).toMatch(/three one two, five five five, zero one four two/);
  });
});
