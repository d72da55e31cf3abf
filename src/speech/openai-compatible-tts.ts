// Text-to-speech through an OpenAI-compatible `/v1/audio/speech` (Kokoro-FastAPI, speaches, OpenAI) with the `openai`
// SDK: each flushed sentence is one request whose body streams raw 24 kHz s16le (pcm) or wav; it is resampled to 8 kHz
// and mu-law encoded as it arrives, so the call gets exactly what Deepgram Aura gives it (the same pacer, prompt
// cache, watchdog and barge-in path apply). Sentences are synthesized one after another in order; clear() aborts
// the request in flight. Failures surface as a `failed` event (streaming) or a rejected ProviderError (whole text),
// never as a throw into the call, so the speaker's fallback to whole-text synthesis and then the apology apply.
import { EventEmitter } from 'node:events';
import OpenAI from 'openai';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { TtsEvents, TtsProvider, TtsStream, TtsStreamOptions } from './types.js';
import { ProviderError } from './deepgram-settings.js';
import { DEFAULT_OPENAI_TTS_SETTINGS, PCM_RESPONSE_RATE_HZ, type OpenAiTtsSettings } from './openai-audio-settings.js';
import { Resampler, warmResampler } from './resample.js';
import { readWavHeader } from './wav.js';
import { pcm16ToMuLaw } from '../audio/mulaw.js';
import { SAMPLE_RATE } from '../audio/energy.js';

export interface OpenAiTtsConfig {
  apiKey: string;
  /** Base URL ending in /v1 (e.g. http://kokoro:8880/v1). */
  baseUrl: string;
  model: string;
  /** Voice per language code ({en: 'af_heart', es: 'ef_dora'}); used when the flow names a Deepgram Aura voice. */
  voices: Record<string, string>;
  log: Logger;
  metrics?: Metrics;
  settings?: Partial<OpenAiTtsSettings>;
}

const PROVIDER = 'openai_tts';

/**
 * The voice to ask the server for. Flows written for Deepgram name Aura voices (aura-2-thalia-en): those map to the
 * configured voice of their language. Any other name (af_heart, nova, af_bella+af_sky) is the server's own and
 * passes through.
 */
export function resolveVoice(voice: string, voices: Record<string, string>): string {
  const aura = /^aura(?:-\d+)?-[a-z]+-([a-z]{2})$/i.exec(voice);
  if (!aura) return voice;
  const byLanguage = voices[aura[1]!.toLowerCase()] ?? voices.en;
  if (!byLanguage) throw new ProviderError(PROVIDER, `no voice configured for "${voice}" (set OPENAI_TTS_VOICES, e.g. en=af_heart)`, false);
  return byLanguage;
}

export class OpenAiCompatibleTts implements TtsProvider {
  readonly settings: OpenAiTtsSettings;
  private readonly client: OpenAI;

  constructor(readonly cfg: OpenAiTtsConfig) {
    this.settings = { ...DEFAULT_OPENAI_TTS_SETTINGS, ...cfg.settings };
    // Retries are ours (only before the first byte); the SDK's would redo audio already played.
    this.client = new OpenAI({ apiKey: cfg.apiKey, baseURL: cfg.baseUrl, maxRetries: 0, timeout: this.settings.requestTimeoutMs });
    // The first sentence of the first call must not wait on instantiating the resampler.
    warmResampler(PCM_RESPONSE_RATE_HZ, SAMPLE_RATE).catch((err: unknown) => cfg.log.warn({ err: (err as Error).message }, 'resampler warm-up failed'));
  }

  stream(voice: string, opts: TtsStreamOptions = {}): TtsStream {
    return new OpenAiTtsStream(this, voice, (opts.log ?? this.cfg.log).child({ provider: PROVIDER }));
  }

  async synthesize(text: string, voice: string, signal?: AbortSignal): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await this.synthesizeStream(text, voice, signal, (c) => chunks.push(c));
    return Buffer.concat(chunks);
  }

  /**
   * One request, its body handed to `onChunk` as 8 kHz mu-law while it arrives. Retries timeouts, 429/5xx and
   * network errors only before the first byte; a refusal (400/401/404) or a cancel is final.
   */
  async synthesizeStream(text: string, voice: string, signal: AbortSignal | undefined, onChunk: (muLaw: Buffer) => void): Promise<void> {
    const model = this.cfg.model;
    const v = resolveVoice(voice, this.cfg.voices);
    let lastErr: ProviderError | null = null;
    for (let attempt = 1; attempt <= this.settings.attempts; attempt++) {
      const ac = new AbortController();
      const onAbort = () => ac.abort();
      signal?.addEventListener('abort', onAbort, { once: true });
      let started = false;
      let firstByteLate = false;
      const firstByteTimer = setTimeout(() => {
        firstByteLate = true;
        ac.abort();
      }, this.settings.firstByteTimeoutMs);
      const decoder = new SpeechDecoder(this.settings.responseFormat);
      try {
        if (signal?.aborted) throw new ProviderError(PROVIDER, 'synthesis cancelled', false);
        const res = await this.client.audio.speech.create(
          { model, voice: v, input: text, response_format: this.settings.responseFormat, speed: this.settings.speed },
          { signal: ac.signal },
        );
        if (!res.body) throw new ProviderError(PROVIDER, 'speech response has no body', true);
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          if (!started) {
            started = true;
            clearTimeout(firstByteTimer);
          }
          const out = await decoder.push(chunk);
          if (out.length > 0) onChunk(out);
        }
        const tail = decoder.end();
        if (tail.length > 0) onChunk(tail);
        return;
      } catch (err) {
        if (signal?.aborted) throw new ProviderError(PROVIDER, 'synthesis cancelled', false);
        lastErr = classify(err, firstByteLate, this.settings.firstByteTimeoutMs, started);
      } finally {
        clearTimeout(firstByteTimer);
        signal?.removeEventListener('abort', onAbort);
        decoder.destroy();
      }
      this.cfg.metrics?.providerErrors.inc({ provider: PROVIDER, kind: 'request' });
      if (!lastErr.retryable) break;
      if (attempt < this.settings.attempts) await new Promise((r) => setTimeout(r, 150 * attempt));
    }
    throw lastErr ?? new ProviderError(PROVIDER, 'synthesis failed', false);
  }
}

function classify(err: unknown, firstByteLate: boolean, firstByteTimeoutMs: number, started: boolean): ProviderError {
  if (err instanceof ProviderError) return err;
  if (firstByteLate) return new ProviderError(PROVIDER, `no audio within ${firstByteTimeoutMs} ms`, true);
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    return new ProviderError(PROVIDER, `HTTP ${err.status}: ${err.message}`, err.status === 429 || err.status >= 500, err.status);
  }
  // Connection refused/reset, SDK timeout, a body cut mid-stream: worth one more try unless audio already played.
  return new ProviderError(PROVIDER, `request failed: ${(err as Error)?.message ?? String(err)}`, !started);
}

/**
 * Body bytes -> 8 kHz mu-law: strips a wav header (taking its sample rate), carries an odd byte across chunk
 * boundaries, resamples with state kept between chunks.
 */
class SpeechDecoder {
  private pending: Buffer = Buffer.alloc(0);
  private headerDone: boolean;
  private rateHz = PCM_RESPONSE_RATE_HZ;
  private resampler: Resampler | null = null;
  private destroyed = false;

  constructor(format: 'pcm' | 'wav') {
    this.headerDone = format === 'pcm';
  }

  async push(chunk: Uint8Array): Promise<Buffer> {
    let data = this.pending.length > 0 ? Buffer.concat([this.pending, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!this.headerDone) {
      const h = readWavHeader(data);
      if (!h) {
        this.pending = Buffer.from(data);
        return Buffer.alloc(0);
      }
      this.headerDone = true;
      this.rateHz = h.sampleRateHz;
      data = data.subarray(h.dataOffset);
    }
    const even = data.length - (data.length % 2);
    // Copy the odd byte: `data` may be a view of a buffer the stream reuses.
    this.pending = Buffer.from(data.subarray(even));
    if (even === 0) return Buffer.alloc(0);
    const pcm = new Int16Array(even / 2);
    for (let i = 0; i < pcm.length; i++) pcm[i] = data.readInt16LE(i * 2);
    if (this.rateHz === SAMPLE_RATE) return pcm16ToMuLaw(pcm);
    if (!this.resampler) this.resampler = await Resampler.create(this.rateHz, SAMPLE_RATE);
    if (this.destroyed) return Buffer.alloc(0);
    return pcm16ToMuLaw(this.resampler.push(pcm));
  }

  /** The filter's last samples, so the reply has its full length. */
  end(): Buffer {
    const tail = this.resampler?.end();
    return tail && tail.length > 0 ? pcm16ToMuLaw(tail) : Buffer.alloc(0);
  }

  destroy(): void {
    this.destroyed = true;
    this.resampler?.destroy();
  }
}

/** One call's synthesis session: flushed sentences are spoken in order, one request each. */
class OpenAiTtsStream extends EventEmitter<TtsEvents> implements TtsStream {
  private unflushed: string[] = [];
  private chain: Promise<void> = Promise.resolve();
  /** Bumped by clear(): work of an older epoch is dropped, its audio never emitted. */
  private epoch = 0;
  private inFlight: AbortController | null = null;
  private closed = false;
  private failed = false;

  constructor(private readonly tts: OpenAiCompatibleTts, private readonly voice: string, private readonly log: Logger) {
    super();
  }

  speak(text: string): void {
    if (this.closed || this.failed || text === '') return;
    this.unflushed.push(text);
  }

  flush(): void {
    if (this.closed || this.failed) return;
    const text = this.unflushed.join('');
    this.unflushed = [];
    if (text.trim() === '') {
      queueMicrotask(() => this.emitSafe('flushed'));
      return;
    }
    const epoch = this.epoch;
    const stale = () => this.closed || this.failed || epoch !== this.epoch;
    this.chain = this.chain.then(async () => {
      if (stale()) return;
      const ac = new AbortController();
      this.inFlight = ac;
      try {
        await this.tts.synthesizeStream(text, this.voice, ac.signal, (chunk) => {
          if (!stale()) this.emitSafe('audio', chunk);
        });
        if (!stale()) this.emitSafe('flushed');
      } catch (err) {
        if (stale()) return;
        this.failed = true;
        this.tts.cfg.metrics?.providerErrors.inc({ provider: PROVIDER, kind: 'failed' });
        this.log.warn({ err: (err as Error).message }, 'speech synthesis failed');
        this.emitSafe('failed', err as Error);
      } finally {
        if (this.inFlight === ac) this.inFlight = null;
      }
    });
  }

  clear(): void {
    if (this.closed) return;
    this.unflushed = [];
    this.epoch++;
    this.inFlight?.abort();
    this.inFlight = null;
    this.chain = Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.unflushed = [];
    this.inFlight?.abort();
    this.inFlight = null;
    await this.chain.catch(() => undefined);
    this.removeAllListeners();
  }

  private emitSafe<K extends keyof TtsEvents>(event: K, ...args: TtsEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: TtsEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.log.error({ err: (err as Error)?.message, event }, 'speech listener threw');
    }
  }
}
