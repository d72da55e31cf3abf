import { afterEach, describe, expect, it } from 'vitest';
import { LlmClient } from '../../src/reasoning/llm-client.js';
import { startFakeOpenAI, type FakeOpenAI } from '../../src/bench/fakes/openai-server.js';

const schema = { name: 'slot_value', schema: { type: 'object', properties: { value: { type: ['string', 'null'] } }, required: ['value'], additionalProperties: false } };
const messages = [{ role: 'user' as const, content: 'hi' }];
let fake: FakeOpenAI | undefined;
afterEach(async () => { await fake?.close(); fake = undefined; });

const client = (f: FakeOpenAI, extra: Partial<ConstructorParameters<typeof LlmClient>[0]> = {}) =>
  new LlmClient({ apiKey: 'test', baseURL: f.baseURL, model: 'fake-model', timeoutMs: 2000, maxRetries: 2, ...extra });

describe('LlmClient', () => {
  it('asks for several samples in one request with strict json_schema output when the server honours n', async () => {
    fake = await startFakeOpenAI({ responder: (_r, i) => JSON.stringify({ value: `v${i}` }) });
    const out = await client(fake).jsonSamples<{ value: string }>({ messages, schema, temperature: 0.7 }, 4);
    expect(out).toEqual([{ value: 'v0' }, { value: 'v1' }, { value: 'v2' }, { value: 'v3' }]);
    expect(fake.requests).toHaveLength(1);
    const body = fake.requests[0]!.body;
    expect(body.n).toBe(4);
    expect(body.response_format).toMatchObject({ type: 'json_schema', json_schema: { name: 'slot_value', strict: true } });
    expect(body.tools).toBeUndefined();
  });

  it('tops up with parallel requests when the server returns fewer choices than n, and remembers it', async () => {
    fake = await startFakeOpenAI({ honourN: false, responder: () => JSON.stringify({ value: 'x' }) });
    const c = client(fake);
    expect(await c.jsonSamples({ messages, schema }, 3)).toHaveLength(3);
    expect(fake.requests).toHaveLength(3);
    expect(c.usesN).toBe(false);
    await c.jsonSamples({ messages, schema }, 2);
    expect(fake.requests.slice(3).every((r) => r.body.n === undefined)).toBe(true);
  });

  it('retries a 429 and returns the answer that follows', async () => {
    fake = await startFakeOpenAI({ responder: (_r, _i, call) => (call === 0 ? { error: { status: 429, retryAfterMs: 10 } } : JSON.stringify({ value: 'ok' })) });
    expect(await client(fake).json({ messages, schema })).toEqual({ value: 'ok' });
    expect(fake.requests).toHaveLength(2);
  });

  it('does not retry a 500 the server marks x-should-retry: false, and reports it as a failed sample', async () => {
    fake = await startFakeOpenAI({ responder: () => ({ error: { status: 500, shouldRetry: false } }) });
    const [s] = await client(fake).jsonSamples({ messages, schema }, 1);
    expect(s).toBeInstanceOf(Error);
    expect(String((s as Error).message)).toMatch(/500/);
    expect(fake.requests).toHaveLength(1);
  });

  it('reports malformed JSON and schema violations per sample without failing the others', async () => {
    fake = await startFakeOpenAI({ responder: (_r, i) => (i === 0 ? 'not json' : i === 1 ? JSON.stringify({ other: 1 }) : JSON.stringify({ value: 'fine' })) });
    const out = await client(fake).jsonSamples<{ value: string }>({ messages, schema }, 3);
    expect(out[0]).toMatchObject({ kind: 'parse' });
    expect(out[1]).toMatchObject({ kind: 'schema' });
    expect(out[2]).toEqual({ value: 'fine' });
  });

  it('streams tokens over SSE until [DONE]', async () => {
    fake = await startFakeOpenAI({ responder: () => 'Thanks for calling. How can I help?' });
    const tokens: string[] = [];
    for await (const t of client(fake).stream(messages)) tokens.push(t);
    expect(tokens.length).toBeGreaterThan(3);
    expect(tokens.join('')).toBe('Thanks for calling. How can I help?');
    expect(fake.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('gives up on a server that never answers after its timeout', async () => {
    fake = await startFakeOpenAI({ responder: () => ({ hang: true }) });
    const [s] = await client(fake, { timeoutMs: 200, maxRetries: 0 }).jsonSamples({ messages, schema }, 1);
    expect(s).toBeInstanceOf(Error);
  });
});
