// The online reasoner on the call path, through the real engine and a small flow: every caller utterance costs ONE
// understanding request at the fake OpenAI server, a correction the engine's fallback places after understanding
// included (the model already read those words), and a `decide` step costs one Tree-of-Thought request (its paths are
// the n choices of it).
import { afterEach, describe, expect, it } from 'vitest';
import { createConversation, loadFlow } from '../../src/flows/index.js';
import type { Command } from '../../src/flows/commands.js';
import { LlmClient } from '../../src/reasoning/llm-client.js';
import { createOnlineReasoner, type UnderstandingReport } from '../../src/reasoning/online.js';
import { silentLogger } from '../../src/observability/logger.js';
import { startFakeOpenAI, type ChatRequestBody, type FakeOpenAI } from '../../src/bench/fakes/openai-server.js';

let fake: FakeOpenAI | undefined;
afterEach(async () => { await fake?.close(); fake = undefined; });

const said = (text: string) => ({ type: 'utterance' as const, text, alternatives: [], confidence: 0.95, final: true });
const spoken = (cmds: Command[]) => cmds.filter((c): c is Extract<Command, { type: 'say' }> => c.type === 'say').map((c) => c.text).join(' | ');
const understood = (fills: [string, string][] = []) => JSON.stringify({
  fills: fills.map(([slot, value]) => ({ slot, value, source: value })), corrections: [], requests: [], questions: [], affirm: null, language: null,
});
const kind = (r: ChatRequestBody) => r.response_format?.json_schema?.name;

describe('online reasoner in a conversation', () => {
  it('makes one understanding request per utterance and one Tree-of-Thought request per decision', async () => {
    const replies: Record<string, string> = {
      'my name is Ann Lee': understood([['caller_name', 'Ann Lee']]),
      'the other guy did not stop at the sign': understood([['description', 'the other guy did not stop at the sign']]),
      'no, my name is Ann Leigh': understood(),
      'yes': understood(),
    };
    fake = await startFakeOpenAI({
      responder: (req) => kind(req) === 'reasoning_path'
        ? JSON.stringify({ steps: ['a driver ran a stop sign into the caller'], conclusion: 'personal_injury', confidence: 0.9 })
        : replies[JSON.parse(req.messages[1]!.content).caller_said as string] ?? understood(),
    });
    const client = new LlmClient({ apiKey: 'test', baseURL: fake.baseURL, model: 'fake', timeoutMs: 5000, maxRetries: 0 });
    const reports: UnderstandingReport[] = [];
    const reasoner = createOnlineReasoner({ client, log: silentLogger(), understanding: { deadlineMs: 5000 }, treeOfThought: { deadlineMs: 5000 }, onUnderstanding: (r) => reports.push(r) });
    const flow = await loadFlow('test/reasoning/fixtures/online-calls.yaml');
    const c = createConversation(flow, { callSid: 'CAonline', from: '+13125550100', to: '+13125550199', startedAt: new Date('2026-11-24T15:00:00Z'), channel: 'chat' }, { reasoner, now: () => new Date('2026-11-24T15:00:00Z') });
    await c.start();
    const perUtterance: string[][] = [];
    const heard: string[] = [];
    for (const text of Object.keys(replies)) {
      const before = fake.requests.length;
      heard.push(spoken(await c.handle(said(text))));
      perUtterance.push(fake.requests.slice(before).map((q) => kind(q.body)!));
    }
    expect(perUtterance).toEqual([['caller_utterance'], ['caller_utterance', 'reasoning_path'], ['caller_utterance'], ['caller_utterance']]);
    expect(fake.requests.find((q) => kind(q.body) === 'reasoning_path')!.body.n).toBe(3);
    expect(reports.every((r) => r.by === 'online+offline')).toBe(true);
    // The decision filled the practice area, so its question was skipped.
    expect(heard[1]).toMatch(/best number/);
    expect(heard[2]).toMatch(/Ann Leigh/);
    expect(c.slots()).toMatchObject({ practice_area: 'personal_injury', caller_name: 'Ann Leigh' });
  });
});
