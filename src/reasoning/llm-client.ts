// The LLM client over openai@6, for OpenAI or any OpenAI-compatible server (vLLM, Ollama). It owns timeouts, the retry
// policy, streaming, JSON-Schema structured output and sampling: several samples per request where the server honours
// `n`, parallel requests (concurrency-limited) where it returns fewer choices. It never sends tools: the model can
// only answer in the shape we ask for.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import pLimit from 'p-limit';
import { Ajv, type ValidateFunction } from 'ajv';

export interface LlmClientOptions {
  apiKey: string;
  /** OpenAI-compatible base URL; null/undefined means api.openai.com. */
  baseURL?: string | null;
  model: string;
  /** Per-request timeout (ms); the SDK default of 10 minutes is never right on a phone call. */
  timeoutMs?: number;
  /** Retries on connection errors, 408/409/429/5xx (the SDK honours retry-after and x-should-retry). */
  maxRetries?: number;
  /** Requests in flight at once when samples are spread over several requests. */
  maxConcurrency?: number;
  /** Whether to ask for several choices per request (`n`); learnt false after a server returns fewer. */
  useN?: boolean;
}

export interface JsonSchemaSpec {
  name: string;
  schema: Record<string, unknown>;
}

export interface JsonRequest {
  messages: ChatCompletionMessageParam[];
  schema: JsonSchemaSpec;
  temperature?: number;
  maxTokens?: number;
  signal?: AbortSignal;
  timeoutMs?: number;
  /** Receive the reply as SSE chunks (`stream: true`) and join them; for servers or proxies that only stream. */
  stream?: boolean;
  /**
   * The schema replies are checked against here, when it should be looser than the one the model is held to (so one
   * bad item is dropped by the caller rather than the whole reply rejected). Defaults to `schema`.
   */
  localSchema?: JsonSchemaSpec;
}

/** A sample that could not be used, kept so callers can count failures rather than lose them. */
export class SampleError extends Error {
  constructor(message: string, readonly kind: 'request' | 'parse' | 'schema') {
    super(message);
    this.name = 'SampleError';
  }
}

export type Sample<T> = T | SampleError;

export class LlmClient {
  readonly model: string;
  private readonly openai: OpenAI;
  private readonly limit: ReturnType<typeof pLimit>;
  private nSupported: boolean;
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly ajv = new Ajv({ allErrors: false, strict: false });
  private readonly timeoutMs: number;

  constructor(opts: LlmClientOptions) {
    this.model = opts.model;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.openai = new OpenAI({
      apiKey: opts.apiKey,
      ...(opts.baseURL ? { baseURL: opts.baseURL } : {}),
      timeout: this.timeoutMs,
      maxRetries: opts.maxRetries ?? 2,
    });
    this.limit = pLimit(Math.max(1, opts.maxConcurrency ?? 4));
    this.nSupported = opts.useN ?? true;
  }

  /** True until a server has shown it ignores `n`. */
  get usesN(): boolean {
    return this.nSupported;
  }

  /**
   * `n` structured samples at one temperature. Asks for all of them in one request when the server honours `n`;
   * tops up with parallel single requests when it returns fewer. Failed or malformed samples come back as SampleError.
   */
  async jsonSamples<T>(req: JsonRequest, n: number): Promise<Sample<T>[]> {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`samples must be a positive integer, got ${n}`);
    const out: Sample<T>[] = [];
    if (this.nSupported && n > 1) {
      const first = await this.limit(() => this.request<T>(req, n));
      out.push(...first);
      const returned = first.filter((s) => !(s instanceof SampleError && s.kind === 'request')).length;
      if (returned > 0 && returned < n) this.nSupported = false; // e.g. Ollama: one choice whatever n says
      if (returned === 0) return out; // the request failed: no point repeating it n times
    }
    const missing = n - out.filter((s) => !(s instanceof SampleError && s.kind === 'request')).length;
    const rest = await Promise.all(Array.from({ length: missing }, () => this.limit(() => this.request<T>(req, 1))));
    for (const r of rest) out.push(...r);
    return out;
  }

  /** One structured answer; throws when it cannot be had. */
  async json<T>(req: JsonRequest): Promise<T> {
    const [s] = await this.request<T>(req, 1);
    if (s === undefined) throw new SampleError('no choice returned', 'parse');
    if (s instanceof SampleError) throw s;
    return s;
  }

  private async request<T>(req: JsonRequest, n: number): Promise<Sample<T>[]> {
    let contents: string[];
    try {
      contents = await this.complete(req, n);
    } catch (err) {
      return [new SampleError(describe(err), 'request')];
    }
    const spec = req.localSchema ?? req.schema;
    const validate = this.validator(spec);
    return contents.map((text) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(stripFences(text));
      } catch {
        return new SampleError(`not JSON: ${text.slice(0, 80)}`, 'parse');
      }
      if (!validate(parsed)) return new SampleError(`schema ${spec.name}: ${this.ajv.errorsText(validate.errors)}`, 'schema');
      return parsed as T;
    });
  }

  /** The text of each choice, from one JSON response or joined from its SSE chunks. */
  private async complete(req: JsonRequest, n: number): Promise<string[]> {
    const body = {
      model: this.model,
      messages: req.messages,
      ...(n > 1 ? { n } : {}),
      ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
      ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
      response_format: { type: 'json_schema' as const, json_schema: { name: req.schema.name, schema: req.schema.schema, strict: true } },
    };
    // The SDK refuses a fractional timeout; what is left of a deadline usually is one.
    const options = { signal: req.signal, timeout: Math.max(1, Math.ceil(req.timeoutMs ?? this.timeoutMs)) };
    if (!req.stream) {
      const completion = await this.openai.chat.completions.create(body, options);
      return completion.choices.map((c) => c.message.content ?? '');
    }
    const stream = await this.openai.chat.completions.create({ ...body, stream: true }, options);
    const parts: string[][] = [];
    for await (const chunk of stream) {
      for (const c of chunk.choices) {
        const t = c.delta?.content;
        if (t) (parts[c.index] ??= []).push(t);
      }
    }
    return Array.from({ length: parts.length }, (_, i) => (parts[i] ?? []).join(''));
  }

  /** Streams the reply's text tokens. Aborting `signal` ends the stream (and the HTTP request). */
  async *stream(messages: ChatCompletionMessageParam[], opts: { signal?: AbortSignal; temperature?: number; maxTokens?: number } = {}): AsyncIterable<string> {
    const stream = await this.openai.chat.completions.create(
      {
        model: this.model,
        messages,
        stream: true,
        stream_options: { include_usage: true },
        ...(opts.temperature !== undefined ? { temperature: opts.temperature } : {}),
        ...(opts.maxTokens !== undefined ? { max_tokens: opts.maxTokens } : {}),
      },
      { signal: opts.signal },
    );
    for await (const chunk of stream) {
      const t = chunk.choices[0]?.delta?.content;
      if (t) yield t;
    }
  }

  /** Compiles a schema's validator ahead of the first call (compiling takes tens of ms). */
  prepare(spec: JsonSchemaSpec): void {
    this.validator(spec);
  }

  private validator(spec: JsonSchemaSpec): ValidateFunction {
    const key = `${spec.name}:${JSON.stringify(spec.schema)}`;
    let v = this.validators.get(key);
    if (!v) {
      v = this.ajv.compile(spec.schema);
      this.validators.set(key, v);
    }
    return v;
  }
}

/** Some OpenAI-compatible servers wrap JSON in markdown fences even when asked for a schema. */
function stripFences(s: string): string {
  const m = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/.exec(s);
  return m ? m[1]! : s;
}

function describe(err: unknown): string {
  if (err instanceof OpenAI.APIError) return `${err.status ?? 'connection'}: ${err.message}`;
  return err instanceof Error ? err.message : String(err);
}
