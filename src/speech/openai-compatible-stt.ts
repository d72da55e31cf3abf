// Speech-to-text through an OpenAI-compatible `/v1/audio/transcriptions` (faster-whisper/speaches, whisper.cpp,
// OpenAI) with the `openai` SDK. These servers transcribe whole utterances, so endpointing is local: the energy VAD
// cuts the inbound 8 kHz mu-law into utterances (vad-endpointing.ts), each is sent as a 16-bit WAV (resampled to
// 16 kHz where the server wants it) with the model, language and prompt (the flow's keyterms), and the answer
// arrives as the same events Deepgram's live stream gives: speechStarted at the onset, interim transcripts when the
// server streams (stream=true), then one final with speechFinal at the end of the turn. Utterances are transcribed
// in order. A request that keeps failing (timeouts, 5xx, refused) ends the stream with `failed`, as Deepgram's
// exhausted reconnects do, so the call's apology and fallback apply. Nothing here throws into the call.
import { EventEmitter } from 'node:events';
import OpenAI, { toFile } from 'openai';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { SttEvents, SttOptions, SttProvider, SttStream } from './types.js';
import { ProviderError } from './deepgram-settings.js';
import { DEFAULT_OPENAI_STT_SETTINGS, type OpenAiSttSettings } from './openai-audio-settings.js';
import { UtteranceEndpointer } from './vad-endpointing.js';
import { resampleAll, warmResampler } from './resample.js';
import { encodeWav } from './wav.js';
import { muLawToPcm16 } from '../audio/mulaw.js';
import { SAMPLE_RATE } from '../audio/energy.js';

export interface OpenAiSttConfig {
  apiKey: string;
  /** Base URL ending in /v1 (e.g. http://whisper:8000/v1). */
  baseUrl: string;
  model: string;
  /** Model per language code, overriding `model` (an English-only model for en, a multilingual one for the rest). */
  modelsByLanguage?: Record<string, string>;
  /** Ask the server for partial text as it transcribes (gpt-4o-transcribe, speaches); whisper-1 does not stream. */
  stream?: boolean;
  log: Logger;
  metrics?: Metrics;
  settings?: Partial<OpenAiSttSettings>;
}

const PROVIDER = 'openai_stt';
/** Whisper's prompt window is 224 tokens; keyterms beyond this many characters are left out. */
const PROMPT_MAX_CHARS = 800;

export function createOpenAiCompatibleStt(cfg: OpenAiSttConfig): SttProvider {
  const settings: OpenAiSttSettings = { ...DEFAULT_OPENAI_STT_SETTINGS, ...cfg.settings };
  // Retries are ours, so a retry is visible as `reconnecting` and the budget is the stream's, not the SDK's.
  const client = new OpenAI({ apiKey: cfg.apiKey, baseURL: cfg.baseUrl, maxRetries: 0, timeout: settings.requestTimeoutMs });
  if (settings.sampleRateHz !== SAMPLE_RATE) {
    warmResampler(SAMPLE_RATE, settings.sampleRateHz, 'whole').catch((err: unknown) => cfg.log.warn({ err: (err as Error).message }, 'resampler warm-up failed'));
  }
  return {
    open(opts: SttOptions): SttStream {
      return new OpenAiSttStream(client, cfg, settings, opts);
    },
  };
}

/** Whisper's `prompt` steers spelling: the flow's keyterms as a comma-separated glossary. */
export function keytermPrompt(keyterms: string[]): string {
  let out = '';
  for (const k of keyterms) {
    const next = out ? `${out}, ${k}` : k;
    if (next.length > PROMPT_MAX_CHARS) break;
    out = next;
  }
  return out;
}

/** Confidence from verbose_json segments: mean token probability, discounted by the chance it was not speech. */
export function segmentConfidence(segments: { avg_logprob?: number; no_speech_prob?: number }[] | undefined): number | null {
  if (!segments || segments.length === 0) return null;
  let sum = 0;
  for (const s of segments) sum += Math.exp(Math.min(0, s.avg_logprob ?? 0)) * (1 - (s.no_speech_prob ?? 0));
  return Math.max(0, Math.min(1, sum / segments.length));
}

type State = 'open' | 'failed' | 'closed';

class OpenAiSttStream extends EventEmitter<SttEvents> implements SttStream {
  private state: State = 'open';
  private readonly endpointer: UtteranceEndpointer;
  private chain: Promise<void> = Promise.resolve();
  private readonly inFlight = new Set<AbortController>();
  private readonly log: Logger;
  private readonly prompt: string;
  private readonly model: string;
  private readonly fileStem: string;
  private seq = 0;

  constructor(
    private readonly client: OpenAI,
    private readonly cfg: OpenAiSttConfig,
    private readonly s: OpenAiSttSettings,
    private readonly opts: SttOptions,
  ) {
    super();
    this.log = (opts.log ?? cfg.log).child({ provider: PROVIDER, ...(opts.tag && !opts.log ? { tag: opts.tag } : {}) });
    this.endpointer = new UtteranceEndpointer(s);
    this.prompt = keytermPrompt(opts.keyterms);
    this.model = cfg.modelsByLanguage?.[opts.language] ?? cfg.model;
    this.fileStem = opts.tag ? opts.tag.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 64) || 'utterance' : 'utterance';
  }

  sendAudio(muLaw: Buffer): void {
    if (this.state !== 'open') return;
    for (const ev of this.endpointer.push(muLaw)) {
      if (ev.type === 'speechStarted') this.emitSafe('speechStarted');
      else this.transcribe(ev.audio, ev.endOfTurn);
    }
  }

  finalize(): void {
    if (this.state !== 'open') return;
    const ev = this.endpointer.flush();
    if (ev?.type === 'utterance') this.transcribe(ev.audio, true);
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    for (const ac of this.inFlight) ac.abort();
    await this.chain.catch(() => undefined);
    this.removeAllListeners();
  }

  /** Queues one utterance; answers come back in the order the caller spoke. */
  private transcribe(muLaw: Buffer, endOfTurn: boolean): void {
    const n = ++this.seq;
    // Encoding starts now (it does not depend on earlier answers); only the emit waits its turn.
    const wav = this.toWav(muLaw);
    const result = wav.then((file) => this.request(file, n));
    result.catch(() => undefined); // handled below, in order
    this.chain = this.chain.then(async () => {
      try {
        const r = await result;
        if (this.state !== 'open') return;
        this.emitSafe('transcript', {
          text: r.text, alternatives: r.text ? [{ text: r.text, confidence: r.confidence }] : [], confidence: r.confidence, isFinal: true, speechFinal: endOfTurn,
        });
      } catch (err) {
        if (this.state !== 'open') return;
        this.fail(err as Error);
      }
    });
  }

  private async toWav(muLaw: Buffer): Promise<Buffer> {
    const pcm = muLawToPcm16(muLaw);
    const rate = this.s.sampleRateHz;
    return encodeWav(rate === SAMPLE_RATE ? pcm : await resampleAll(pcm, SAMPLE_RATE, rate), rate);
  }

  /** One utterance's request with retries; resolves with the text and its confidence. */
  private async request(wav: Buffer, n: number): Promise<{ text: string; confidence: number }> {
    let last: ProviderError | null = null;
    let resetByPeer = false;
    for (let attempt = 0; attempt < this.s.attempts; attempt++) {
      if (this.state !== 'open') throw new ProviderError(PROVIDER, 'stream closed', false);
      if (attempt > 0) {
        this.emitSafe('reconnecting', attempt);
        // A kept-alive socket the server closed as it was reused fails at once and heals at once: no backoff.
        const wait = resetByPeer ? 0 : this.s.retryBackoffMs[Math.min(attempt - 1, this.s.retryBackoffMs.length - 1)] ?? 300;
        await new Promise((r) => setTimeout(r, wait));
        if (this.state !== 'open') throw new ProviderError(PROVIDER, 'stream closed', false);
      }
      const ac = new AbortController();
      this.inFlight.add(ac);
      try {
        return await this.attempt(wav, n, ac.signal);
      } catch (err) {
        resetByPeer = err instanceof OpenAI.APIConnectionError && !(err instanceof OpenAI.APIConnectionTimeoutError);
        last = toProviderError(err);
        this.cfg.metrics?.providerErrors.inc({ provider: PROVIDER, kind: 'request' });
        if (!last.retryable) break;
        this.log.warn({ attempt: attempt + 1, err: last.message }, 'transcription request failed');
      } finally {
        this.inFlight.delete(ac);
      }
    }
    throw last ?? new ProviderError(PROVIDER, 'transcription failed', false);
  }

  private async attempt(wav: Buffer, n: number, signal: AbortSignal): Promise<{ text: string; confidence: number }> {
    // The stream's tag (the CallSid) names the upload, so a server's logs (and the benchmark's fake) can tell calls apart.
    const file = await toFile(wav, `${this.fileStem}-${n}.wav`, { type: 'audio/wav' });
    const common = {
      file, model: this.model, language: this.opts.language, ...(this.prompt ? { prompt: this.prompt } : {}), temperature: 0,
    };
    if (this.cfg.stream) {
      const events = await this.client.audio.transcriptions.create({ ...common, response_format: 'json', stream: true }, { signal });
      let text = '';
      for await (const ev of events) {
        if (ev.type === 'transcript.text.delta') {
          text += ev.delta;
          if (this.state === 'open' && text.trim()) {
            this.emitSafe('transcript', { text: text.trim(), alternatives: [], confidence: 0, isFinal: false, speechFinal: false });
          }
        } else if (ev.type === 'transcript.text.done') {
          text = ev.text;
        }
      }
      // Streaming answers carry no segment scores: the server's own text is taken at face value.
      return { text: text.trim(), confidence: 1 };
    }
    if (this.s.responseFormat === 'verbose_json') {
      const r = await this.client.audio.transcriptions.create({ ...common, response_format: 'verbose_json', timestamp_granularities: ['segment'] }, { signal });
      return { text: r.text.trim(), confidence: segmentConfidence(r.segments) ?? 1 };
    }
    const r = await this.client.audio.transcriptions.create({ ...common, response_format: 'json' }, { signal });
    // json carries no scores (gpt-4o models answer json only): the text is taken at face value.
    return { text: r.text.trim(), confidence: 1 };
  }

  private fail(err: Error): void {
    if (this.state !== 'open') return;
    this.state = 'failed';
    for (const ac of this.inFlight) ac.abort();
    this.cfg.metrics?.providerErrors.inc({ provider: PROVIDER, kind: 'failed' });
    this.log.error({ err: err.message }, 'speech recognition failed');
    this.emitSafe('failed', err);
  }

  private emitSafe<K extends keyof SttEvents>(event: K, ...args: SttEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: SttEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.log.error({ err: (err as Error)?.message, event }, 'speech listener threw');
    }
  }
}

function toProviderError(err: unknown): ProviderError {
  if (err instanceof ProviderError) return err;
  if (err instanceof OpenAI.APIError && typeof err.status === 'number') {
    // A refused key, an unknown model or a rejected file will not heal by retrying.
    return new ProviderError(PROVIDER, `speech recognition unavailable: HTTP ${err.status}: ${err.message}`, err.status === 429 || err.status >= 500 || err.status === 408, err.status);
  }
  return new ProviderError(PROVIDER, `speech recognition unavailable: ${(err as Error)?.message ?? String(err)}`, true);
}
