// Deepgram Aura text-to-speech: a streaming WebSocket session per call (Speak / Flush / Clear / Close in, binary
// mu-law audio, Flushed / Cleared out) with REST (POST /v1/speak) as the fallback when the socket cannot open,
// drops, or the 20-flushes-per-minute limit is reached. Raw `ws` rather than the SDK's speak socket: the SDK wraps
// every audio chunk in a Blob that must be read back asynchronously, an extra copy and hop on the hottest path.
// Failures surface as a `failed` event, never as a throw into the call.
import { EventEmitter } from 'node:events';
import { WebSocket } from 'ws';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { TtsEvents, TtsProvider, TtsStream, TtsStreamOptions } from './types.js';
import {
  DEEPGRAM_DEFAULT_BASE_URL, DEFAULT_TTS_SETTINGS, ProviderError, toWsBase, type DeepgramTtsSettings,
} from './deepgram-settings.js';

export interface DeepgramTtsConfig {
  apiKey: string;
  baseUrl: string | null;
  log: Logger;
  metrics?: Metrics;
  settings?: Partial<DeepgramTtsSettings>;
}

export function createDeepgramTts(cfg: DeepgramTtsConfig): DeepgramTts {
  return new DeepgramTts(cfg);
}

export class DeepgramTts implements TtsProvider {
  readonly settings: DeepgramTtsSettings;
  readonly httpBase: string;

  constructor(readonly cfg: DeepgramTtsConfig) {
    this.settings = { ...DEFAULT_TTS_SETTINGS, ...cfg.settings };
    this.httpBase = (cfg.baseUrl ?? DEEPGRAM_DEFAULT_BASE_URL).replace(/\/$/, '');
  }

  stream(voice: string, opts: TtsStreamOptions = {}): TtsStream {
    return new DeepgramTtsStream(this, voice, opts.log ?? this.cfg.log);
  }

  /** Whole-text synthesis over REST: mu-law, 8 kHz, no container (raw bytes Twilio can play). */
  async synthesize(text: string, voice: string, signal?: AbortSignal): Promise<Buffer> {
    const chunks: Buffer[] = [];
    await this.synthesizeStream(text, voice, signal, (c) => chunks.push(c));
    return Buffer.concat(chunks);
  }

  /**
   * REST synthesis handing audio to `onChunk` as the response body arrives (the fallback path starts playing
   * before the whole reply is synthesized). Retries 429/5xx/network failures only before the first byte.
   */
  async synthesizeStream(text: string, voice: string, signal: AbortSignal | undefined, onChunk: (c: Buffer) => void): Promise<void> {
    const url = `${this.httpBase}/v1/speak?${new URLSearchParams({ model: voice, encoding: 'mulaw', sample_rate: '8000', container: 'none' })}`;
    let lastErr: ProviderError | null = null;
    for (let attempt = 1; attempt <= this.settings.restAttempts; attempt++) {
      const timeout = AbortSignal.timeout(this.settings.restTimeoutMs);
      const sig = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let started = false;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: { authorization: `Token ${this.cfg.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ text }),
          signal: sig,
        });
        if (res.ok && res.body) {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            started = true;
            onChunk(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
          }
          return;
        }
        const body = (await res.text().catch(() => '')).slice(0, 200);
        lastErr = new ProviderError('deepgram_tts', `REST ${res.status}: ${body}`, res.status === 429 || res.status >= 500, res.status);
      } catch (err) {
        if (signal?.aborted) throw new ProviderError('deepgram_tts', 'synthesis cancelled', false);
        lastErr = new ProviderError('deepgram_tts', `REST request failed: ${(err as Error).message}`, !started);
      }
      this.cfg.metrics?.providerErrors.inc({ provider: 'deepgram_tts', kind: 'rest' });
      if (!lastErr.retryable) break;
      if (attempt < this.settings.restAttempts) await new Promise((r) => setTimeout(r, 150 * attempt));
    }
    throw lastErr ?? new ProviderError('deepgram_tts', 'REST synthesis failed', false);
  }
}

/** Text sent in one Flush, and how much of its audio has arrived (to skip it if REST must redo the text). */
interface Segment {
  text: string;
  receivedBytes: number;
}

/**
 * connecting: socket opening, messages queue. open: streaming. down: the socket failed; flushes go over REST while
 * a new socket is tried in the background with backoff. closed: released.
 */
type State = 'connecting' | 'open' | 'down' | 'closed';

const REOPEN_BACKOFF_MS = [1000, 2000, 5000, 10_000, 30_000];

class DeepgramTtsStream extends EventEmitter<TtsEvents> implements TtsStream {
  private state: State = 'connecting';
  private ws: WebSocket | null = null;
  private connectTimer: NodeJS.Timeout | null = null;
  private reopenTimer: NodeJS.Timeout | null = null;
  private reopenAttempts = 0;
  /** Text spoken since the last flush. */
  private unflushed: string[] = [];
  /** Flushed segments whose Flushed has not come back yet, oldest first. */
  private inFlight: Segment[] = [];
  /** Messages waiting for the socket to open. */
  private outbox: string[] = [];
  private flushTimes: number[] = [];
  /** After Clear, audio still on the wire belongs to the cleared text: dropped until Cleared arrives. */
  private discarding = false;
  /** REST syntheses queued or running; while any is, later flushes queue behind them to keep the order. */
  private restPending = 0;
  /** Bumped by clear(): REST work of an older epoch no longer counts. */
  private restEpoch = 0;
  private rest: AbortController | null = null;
  private restChain: Promise<void> = Promise.resolve();
  private readonly log: Logger;

  constructor(private readonly tts: DeepgramTts, private readonly voice: string, log: Logger) {
    super();
    this.log = log.child({ provider: 'deepgram_tts' });
    this.open();
  }

  speak(text: string): void {
    if (this.state === 'closed' || text === '') return;
    this.unflushed.push(text);
    if (this.state === 'open' || this.state === 'connecting') this.send({ type: 'Speak', text });
  }

  flush(): void {
    if (this.state === 'closed') return;
    const text = this.unflushed.join('');
    this.unflushed = [];
    if (text.trim() === '') {
      // Nothing to say: report at once rather than spend one of the limited flushes.
      queueMicrotask(() => this.emitSafe('flushed'));
      return;
    }
    const now = Date.now();
    this.flushTimes = this.flushTimes.filter((t) => now - t < this.tts.settings.flushWindowMs);
    const overLimit = this.flushTimes.length >= this.tts.settings.flushLimit;
    if (this.state === 'down' || overLimit || this.restPending > 0) {
      if (this.state === 'open' || this.state === 'connecting') {
        // The text already went out as Speak: clear it there (and whatever is still in flight) and let REST say it,
        // in order.
        if (this.inFlight.length > 0) this.discarding = true;
        this.outbox = this.outbox.filter((m) => !m.includes('"Speak"') && !m.includes('"Flush"'));
        this.send({ type: 'Clear' });
        const redo = [...this.inFlight, { text, receivedBytes: 0 }];
        this.inFlight = [];
        this.redoOverRest(redo);
        if (overLimit) this.log.warn({ flushLimit: this.tts.settings.flushLimit }, 'speech synthesis flush limit reached; using REST');
        return;
      }
      this.redoOverRest([{ text, receivedBytes: 0 }]);
      return;
    }
    this.flushTimes.push(now);
    this.inFlight.push({ text, receivedBytes: 0 });
    this.send({ type: 'Flush' });
  }

  clear(): void {
    if (this.state === 'closed') return;
    this.unflushed = [];
    this.rest?.abort();
    this.rest = null;
    this.restChain = Promise.resolve();
    this.restPending = 0;
    this.restEpoch++;
    if (this.state === 'open' || this.state === 'connecting') {
      // Only audio arriving after Cleared is new; with nothing in flight there is nothing to wait for.
      if (this.inFlight.length > 0) this.discarding = true;
      this.outbox = this.outbox.filter((m) => !m.includes('"Speak"') && !m.includes('"Flush"'));
      this.send({ type: 'Clear' });
    }
    this.inFlight = [];
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.rest?.abort();
    this.rest = null;
    this.clearTimers();
    this.unflushed = [];
    this.inFlight = [];
    this.outbox = [];
    const ws = this.ws;
    this.ws = null;
    if (ws) await closeWs(ws);
    this.removeAllListeners();
  }

  private open(): void {
    const q = new URLSearchParams({ model: this.voice, encoding: 'mulaw', sample_rate: '8000' });
    let ws: WebSocket;
    try {
      // No permessage-deflate: compressing mu-law audio costs CPU per chunk and saves almost nothing.
      ws = new WebSocket(`${toWsBase(this.tts.httpBase)}/v1/speak?${q}`, {
        headers: { authorization: `Token ${this.tts.cfg.apiKey}` }, perMessageDeflate: false,
      });
    } catch (err) {
      this.goDown(null, `cannot open: ${(err as Error).message}`);
      return;
    }
    this.ws = ws;
    this.connectTimer = setTimeout(() => {
      this.connectTimer = null;
      if (this.ws === ws && this.state !== 'open') this.goDown(ws, 'connect timeout');
    }, this.tts.settings.connectTimeoutMs);
    ws.on('open', () => this.onOpen(ws));
    ws.on('message', (data, isBinary) => {
      if (ws === this.ws) this.onMessage(data as Buffer, isBinary);
    });
    ws.on('error', (err) => this.goDown(ws, err.message));
    ws.on('close', (code) => this.goDown(ws, `closed (${code})`));
  }

  private onOpen(ws: WebSocket): void {
    if (ws !== this.ws || this.state === 'closed') return;
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    const resumed = this.state === 'down';
    this.state = 'open';
    this.reopenAttempts = 0;
    if (resumed) {
      // Text spoken while down and not flushed yet belongs to this socket now.
      for (const text of this.unflushed) ws.send(JSON.stringify({ type: 'Speak', text }));
      this.log.info('speech synthesis socket restored');
    } else {
      for (const m of this.outbox) ws.send(m);
    }
    this.outbox = [];
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    if (this.state !== 'open') return;
    if (isBinary) {
      if (this.discarding || data.length === 0) return;
      const seg = this.inFlight[0];
      if (seg) seg.receivedBytes += data.length;
      this.emitSafe('audio', data);
      return;
    }
    let m: { type?: string; description?: string; code?: string };
    try {
      m = JSON.parse(data.toString('utf8')) as typeof m;
    } catch {
      return;
    }
    if (m.type === 'Flushed') {
      if (this.discarding) return;
      this.inFlight.shift();
      this.emitSafe('flushed');
    } else if (m.type === 'Cleared') {
      this.discarding = false;
    } else if (m.type === 'Warning') {
      this.log.warn({ code: m.code, description: m.description }, 'speech synthesis warning');
    }
  }

  /**
   * The socket failed, timed out or closed without our asking: whatever it still owed goes over REST, later
   * flushes too, and a new socket is tried in the background.
   */
  private goDown(ws: WebSocket | null, why: string): void {
    if (ws !== this.ws || this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    const wasResuming = this.state === 'down';
    this.state = 'down';
    if (this.connectTimer) clearTimeout(this.connectTimer);
    this.connectTimer = null;
    this.ws = null;
    if (ws) void closeWs(ws);
    this.outbox = [];
    if (!wasResuming) {
      this.tts.cfg.metrics?.providerErrors.inc({ provider: 'deepgram_tts', kind: wasOpen ? 'drop' : 'connect' });
      this.log.warn({ reason: why }, 'speech synthesis socket unavailable; using REST');
    }
    const segments = this.discarding ? [] : this.inFlight;
    this.inFlight = [];
    this.discarding = false;
    this.redoOverRest(segments);
    this.scheduleReopen();
  }

  private scheduleReopen(): void {
    if (this.reopenTimer || this.state !== 'down') return;
    const delay = REOPEN_BACKOFF_MS[Math.min(this.reopenAttempts, REOPEN_BACKOFF_MS.length - 1)]!;
    this.reopenAttempts++;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      if (this.state === 'down' && !this.ws) this.open();
    }, delay);
  }

  /** Synthesizes segments over REST in order, skipping audio the socket already delivered for the first one. */
  private redoOverRest(segments: Segment[]): void {
    for (const seg of segments) {
      this.restPending++;
      const epoch = this.restEpoch;
      this.restChain = this.restChain.then(async () => {
        if (this.closed || epoch !== this.restEpoch) return; // cleared before its turn came
        const ac = new AbortController();
        this.rest = ac;
        let skip = seg.receivedBytes;
        try {
          await this.tts.synthesizeStream(seg.text, this.voice, ac.signal, (chunk) => {
            if (ac.signal.aborted || this.closed) return;
            const part = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk;
            skip = Math.max(0, skip - chunk.length);
            if (part.length > 0) this.emitSafe('audio', part);
          });
          if (ac.signal.aborted || this.closed) return;
          this.emitSafe('flushed');
        } catch (err) {
          if (ac.signal.aborted || this.closed) return;
          this.emitSafe('failed', err as Error);
        } finally {
          if (this.rest === ac) this.rest = null;
          if (epoch === this.restEpoch) this.restPending--;
        }
      });
    }
  }

  /** Read through a getter so narrowing across awaits does not fool the compiler. */
  private get closed(): boolean {
    return this.state === 'closed';
  }

  private send(m: Record<string, unknown>): void {
    const text = JSON.stringify(m);
    if (this.state === 'open' && this.ws?.readyState === WebSocket.OPEN) this.ws.send(text);
    else if (this.state === 'connecting') this.outbox.push(text);
  }

  private clearTimers(): void {
    if (this.connectTimer) clearTimeout(this.connectTimer);
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.connectTimer = null;
    this.reopenTimer = null;
  }

  private emitSafe<K extends keyof TtsEvents>(event: K, ...args: TtsEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: TtsEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      this.log.error({ err: (err as Error)?.message, event }, 'speech listener threw');
    }
  }
}

/** Closes a ws politely and resolves once its TCP connection is gone (cut after 1 s if the peer never answers). */
function closeWs(ws: WebSocket): Promise<void> {
  ws.on('error', () => undefined);
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => {
      ws.terminate();
      resolve();
    }, 1000);
    ws.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    try {
      if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'Close' }));
      ws.close(1000);
    } catch {
      ws.terminate();
    }
  });
}
