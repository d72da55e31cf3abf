// The online reasoner on the call path, through the real engine and the bundled flow: every caller utterance costs
// ONE request at the fake OpenAI server, including a correction the engine's fallback places after understanding
// (the model already read those words, so the correction lookup and the re-extraction do not ask it again).
import { afterEach, describe, expect, it } from 'vitest';
import { createConversation, loadFlow } from '../../src/flows/index.js';
import type { Command } from '../../src/flows/commands.js';
import { LlmClient } from '../../src/reasoning/llm-client.js';
import { createOnlineReasoner, type UnderstandingReport } from '../../src/reasoning/online.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startFakeOpenAI, type FakeOpenAI } from '../fakes/openai-server.js';

let fake: FakeOpenAI | undefined;
afterEach(async () => { await fake?.close(); fake = undefined; });

const said = (text: string) => ({ type: 'utterance' as const, text, alternatives: [], confidence: 0.95, final: true });
const spoken = (cmds: Command[]) => cmds.filter((c): c is Extract<Command, { type: 'say' }> => c.type === 'say').map((c) => c.text).join(' | ');
const understood = (fills: [string, string][] = []) => JSON.stringify({
  fills: fills.map(([slot, value]) => ({ slot, value, source: value })), corrections: [], requests: [], questions: [], affirm: null, language: null,
});

describe('online reasoner in a conversation', () => {
  it('makes one request per caller utterance, a correction placed by the engine included', async () => {
    const replies: Record<string, string> = {
      'my name is Ann Lee': understood([['caller_name', 'Ann Lee']]),
      'no': understood([['is_emergency', 'no']]),
      'no, my name is Ann Leigh': understood(),
      'I was rear ended on the highway': understood([['practice_area', 'personal_injury']]),
    };
    fake = await startFakeOpenAI({ responder: (req) => replies[JSON.parse(req.messages[1]!.content).caller_said as string] ?? understood() });
    const client = new LlmClient({ apiKey: 'test', baseURL: fake.baseURL, model: 'fake', timeoutMs: 5000, maxRetries: 0 });
    const reports: UnderstandingReport[] = [];
    const reasoner = createOnlineReasoner({ client, log: silentLogger(), understanding: { deadlineMs: 5000 }, onUnderstanding: (r) => reports.push(r) });
    const flow = await loadFlow('flows/intake.yaml');
    const c = createConversation(flow, { callSid: 'CAonline', from: '+13125550100', to: '+13125550199', startedAt: new Date('2026-11-24T15:00:00Z'), channel: 'chat' }, { reasoner, now: () => new Date('2026-11-24T15:00:00Z') });
    await c.start();
    const perUtterance: number[] = [];
    const heard: string[] = [];
    for (const text of ['my name is Ann Lee', 'no', 'no, my name is Ann Leigh', 'I was rear ended on the highway']) {
      const before = fake.requests.length;
      heard.push(spoken(await c.handle(said(text))));
      perUtterance.push(fake.requests.length - before);
    }
    expect(perUtterance).toEqual([1, 1, 1, 1]);
    expect(reports.every((r) => r.by === 'online+offline')).toBe(true);
    expect(heard[0]).toMatch(/emergency/i);
    expect(heard[2]).toMatch(/Ann Leigh/);
    expect(c.slots()).toMatchObject({ is_emergency: false });
  });
});
