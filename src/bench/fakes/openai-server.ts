// A local HTTP server speaking the OpenAI Chat Completions wire format, so tests exercise the real `openai` SDK:
// JSON responses with `n` choices, SSE streaming ending in `data: [DONE]`, json_schema response_format passed through,
// configurable latency, scripted (and disagreeing) replies, and error responses with x-should-retry / retry-after-ms.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChatRequestBody {
  model: string;
  messages: { role: string; content: string }[];
  n?: number;
  temperature?: number;
  stream?: boolean;
  stream_options?: { include_usage?: boolean };
  response_format?: { type: string; json_schema?: { name: string; schema: unknown; strict?: boolean } };
  [k: string]: unknown;
}

export interface RecordedRequest {
  body: ChatRequestBody;
  headers: IncomingMessage['headers'];
  at: number;
}

/** One scripted reply: content for a choice, or an HTTP error for the whole request. */
export type FakeReply =
  | string
  | { error: { status: number; message?: string; shouldRetry?: boolean; retryAfterMs?: number } }
  | { hang: true };

/** Decides the reply for choice `choice` of request number `call` (0-based, counting every request). */
export type Responder = (req: ChatRequestBody, choice: number, call: number) => FakeReply | Promise<FakeReply>;

export interface FakeOpenAIOptions {
  /** Delay before the response starts (ms); a function gets the request number. */
  latencyMs?: number | ((call: number, req: ChatRequestBody) => number);
  /** When false the server behaves like Ollama and returns one choice whatever `n` asks. */
  honourN?: boolean;
  /** Delay between streamed chunks (ms). */
  chunkDelayMs?: number;
  responder?: Responder;
}

export interface FakeOpenAI {
  /** Base URL to give the SDK (ends in /v1). */
  baseURL: string;
  requests: RecordedRequest[];
  /** Requests the client gave up on (closed the connection) before the reply was sent: aborts and timeouts. */
  readonly abandoned: number;
  setResponder(r: Responder): void;
  setLatency(ms: FakeOpenAIOptions['latencyMs']): void;
  close(): Promise<void>;
}

const sleep = (ms: number, res: ServerResponse) =>
  new Promise<boolean>((resolve) => {
    if (ms <= 0) return resolve(true);
    // A client that gave up (timeout, abort) must not keep the timer alive; the listener goes when the wait ends,
    // so a long stream does not pile up one per chunk.
    const onClose = () => { clearTimeout(t); resolve(false); };
    const t = setTimeout(() => { res.off('close', onClose); resolve(true); }, ms);
    res.once('close', onClose);
  });

export async function startFakeOpenAI(opts: FakeOpenAIOptions = {}): Promise<FakeOpenAI> {
  let responder: Responder = opts.responder ?? (() => 'ok');
  let latency = opts.latencyMs ?? 0;
  const honourN = opts.honourN ?? true;
  const requests: RecordedRequest[] = [];
  let calls = 0;
  let abandoned = 0;
  const open = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    open.add(res);
    res.once('close', () => open.delete(res));
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: String(err), type: 'server_error', param: null, code: null } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `no route ${req.method} ${req.url}`, type: 'invalid_request_error', param: null, code: null } }));
      return;
    }
    const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequestBody;
    const call = calls++;
    requests.push({ body, headers: req.headers, at: Date.now() });
    const wait = typeof latency === 'function' ? latency(call, body) : latency;
    if (!(await sleep(wait, res))) { abandoned += 1; return; }
    const n = honourN ? Math.max(1, body.n ?? 1) : 1;
    const replies: FakeReply[] = [];
    for (let i = 0; i < n; i++) replies.push(await responder(body, i, call));
    const failure = replies.find((r): r is Extract<FakeReply, { error: unknown }> => typeof r === 'object' && 'error' in r);
    if (failure) {
      const e = failure.error;
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': `req_${call}` };
      if (e.shouldRetry !== undefined) headers['x-should-retry'] = String(e.shouldRetry);
      if (e.retryAfterMs !== undefined) headers['retry-after-ms'] = String(e.retryAfterMs);
      res.writeHead(e.status, headers);
      const type = e.status === 429 ? 'rate_limit_exceeded' : e.status >= 500 ? 'server_error' : 'invalid_request_error';
      res.end(JSON.stringify({ error: { message: e.message ?? `fake error ${e.status}`, type, param: null, code: type } }));
      return;
    }
    if (replies.some((r) => typeof r === 'object' && 'hang' in r)) return; // never answers; the client must time out
    const contents = replies as string[];
    const id = `chatcmpl-fake${call}`;
    const created = Math.floor(Date.now() / 1000);
    const usage = { prompt_tokens: 10, completion_tokens: contents.join('').length, total_tokens: 10 + contents.join('').length };
    if (!body.stream) {
      res.writeHead(200, { 'content-type': 'application/json', 'x-request-id': `req_${call}` });
      res.end(JSON.stringify({
        id, object: 'chat.completion', created, model: body.model,
        choices: contents.map((content, index) => ({
          index, message: { role: 'assistant', content, refusal: null }, logprobs: null, finish_reason: 'stop',
        })),
        usage,
      }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
    const send = (obj: unknown) => res.write(`data: ${JSON.stringify(obj)}\n\n`);
    const chunk = (index: number, delta: Record<string, unknown>, finish: string | null) =>
      send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [{ index, delta, logprobs: null, finish_reason: finish }] });
    for (const [index, content] of contents.entries()) {
      chunk(index, { role: 'assistant', content: '' }, null);
      // Split into word-sized tokens, as a model streams them.
      for (const tok of content.match(/\s*\S+/g) ?? []) {
        if (opts.chunkDelayMs && !(await sleep(opts.chunkDelayMs, res))) return;
        chunk(index, { content: tok }, null);
      }
      chunk(index, {}, 'stop');
    }
    if (body.stream_options?.include_usage) send({ id, object: 'chat.completion.chunk', created, model: body.model, choices: [], usage });
    res.write('data: [DONE]\n\n');
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    get abandoned() { return abandoned; },
    setResponder(r) { responder = r; },
    setLatency(ms) { latency = ms ?? 0; },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of open) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The system + user text of a request, for responders that answer by what was asked. */
export const promptText = (req: ChatRequestBody): string => req.messages.map((m) => m.content).join('\n');
