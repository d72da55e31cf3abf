// Live speech-to-text over @deepgram/sdk v5 (client.listen.v1). The SDK's own reconnect is off (reconnectAttempts 0):
// this module owns the policy, because a reconnect must replay the audio of the utterance in progress and must give
// up quickly enough for the caller to hear an apology. Audio sent before the socket opens is kept, not lost.
// Nothing here throws into the call: every failure becomes a `failed` event, and one stream's trouble never
// touches another stream or the process.
import { EventEmitter } from 'node:events';
import { DeepgramClient } from '@deepgram/sdk';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { SttEvents, SttOptions, SttProvider, SttStream, TranscriptAlternative } from './types.js';
import { ByteRing } from './byte-ring.js';
import { FRAME_BYTES, rmsDbfs } from '../audio/energy.js';
import { DEFAULT_STT_SETTINGS, ProviderError, type DeepgramSttSettings } from './deepgram-settings.js';

type ListenSocket = Awaited<ReturnType<DeepgramClient['listen']['v1']['connect']>>;

export interface DeepgramSttConfig {
  apiKey: string;
  /** DEEPGRAM_BASE_URL; null for Deepgram's cloud. */
  baseUrl: string | null;
  model: string;
  log: Logger;
  metrics?: Metrics;
  settings?: Partial<DeepgramSttSettings>;
}

const BYTES_PER_MS = 8;
/** Below this a frame counts as silence when trimming a replay (well under speech, above line hiss). */
const SILENCE_DBFS = -50;
const REPLAY_CHUNK_BYTES = 8000;

interface ResultsMessage {
  type: 'Results';
  start?: number;
  duration?: number;
  is_final?: boolean;
  speech_final?: boolean;
  channel?: { alternatives?: { transcript?: string; confidence?: number }[] };
}

/**
 * Bytes of `audio` before its first voiced frame, less `preRoll` (kept so the first syllable is not clipped). Audio
 * with no voiced frame keeps only its last `preRoll` bytes.
 */
export function leadingSilenceBytes(audio: Buffer, preRoll: number): number {
  for (let i = 0; i < audio.length; i += FRAME_BYTES) {
    if (rmsDbfs(audio, i, Math.min(i + FRAME_BYTES, audio.length)) >= SILENCE_DBFS) return Math.max(0, i - preRoll);
  }
  return Math.max(0, audio.length - preRoll);
}

export function createDeepgramStt(cfg: DeepgramSttConfig): SttProvider {
  const client = new DeepgramClient({ apiKey: cfg.apiKey, ...(cfg.baseUrl ? { baseUrl: cfg.baseUrl } : {}) });
  const settings: DeepgramSttSettings = { ...DEFAULT_STT_SETTINGS, ...cfg.settings };
  return {
    open(opts: SttOptions): SttStream {
      return new DeepgramSttStream(client, cfg, settings, opts);
    },
  };
}

type State = 'connecting' | 'open' | 'retrying' | 'failed' | 'closed';

export class DeepgramSttStream extends EventEmitter<SttEvents> implements SttStream {
  private state: State = 'connecting';
  private sock: ListenSocket | null = null;
  /** Bumped for every connection attempt; events from an older socket are ignored. */
  private generation = 0;
  private readonly ring: ByteRing;
  /** Absolute ring offset where the current connection's audio time 0 lies. */
  private connBase = 0;
  private lastSendAt = 0;
  private keepAliveTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stableTimer: NodeJS.Timeout | null = null;
  private outage: { startedAt: number; attempts: number } | null = null;
  private dropReasons: string[] | null = null;
  private readonly log: Logger;

  constructor(
    private readonly client: DeepgramClient,
    private readonly cfg: DeepgramSttConfig,
    private readonly s: DeepgramSttSettings,
    private readonly opts: SttOptions,
  ) {
    super();
    this.log = (opts.log ?? cfg.log).child({ provider: 'deepgram_stt', ...(opts.tag && !opts.log ? { tag: opts.tag } : {}) });
    this.ring = new ByteRing(s.replayMaxMs * BYTES_PER_MS);
    // The first attempt counts against the same budget as retries: a refused first connection also ends in `failed`.
    this.outage = { startedAt: Date.now(), attempts: 0 };
    this.connect();
  }

  sendAudio(muLaw: Buffer): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.ring.append(muLaw);
    if (this.state !== 'open' || !this.sock) return;
    try {
      this.sock.sendMedia(muLaw);
      this.lastSendAt = Date.now();
    } catch {
      // The socket went away between state checks; the close handler replays from the ring.
    }
  }

  finalize(): void {
    if (this.state !== 'open' || !this.sock) return;
    try {
      this.sock.sendFinalize({ type: 'Finalize' });
    } catch {
      /* closing; nothing to finalize */
    }
  }

  async close(): Promise<void> {
    if (this.state === 'closed') return;
    const wasOpen = this.state === 'open';
    this.state = 'closed';
    this.clearTimers();
    this.ring.release();
    const sock = this.sock;
    this.sock = null;
    this.generation++;
    if (sock) await this.closeSocket(sock, wasOpen);
    this.removeAllListeners();
  }

  private connect(): void {
    const gen = ++this.generation;
    const remaining = this.s.reconnectWindowMs - (Date.now() - (this.outage?.startedAt ?? Date.now()));
    const timeoutMs = Math.max(200, Math.min(this.s.connectTimeoutMs, remaining));
    const args = {
      model: this.cfg.model,
      encoding: 'mulaw' as const,
      sample_rate: 8000,
      channels: 1,
      interim_results: 'true' as const,
      endpointing: this.s.endpointingMs,
      utterance_end_ms: this.s.utteranceEndMs,
      vad_events: 'true' as const,
      smart_format: 'true' as const,
      language: this.opts.language,
      ...(this.opts.keyterms.length > 0 ? { keyterm: this.opts.keyterms } : {}),
      ...(this.opts.tag ? { tag: this.opts.tag } : {}),
      Authorization: `Token ${this.cfg.apiKey}`,
      reconnectAttempts: 0,
      connectionTimeoutInSeconds: timeoutMs / 1000,
    };
    this.client.listen.v1
      .connect(args)
      .then((sock) => {
        if (gen !== this.generation || this.state === 'closed' || this.state === 'failed') {
          void this.closeSocket(sock, false);
          return;
        }
        this.sock = sock;
        sock.on('open', () => this.onOpen(gen));
        sock.on('message', (m: unknown) => this.onMessage(gen, m));
        sock.on('close', (ev: { code?: number; reason?: string }) => this.onDrop(gen, `closed (${ev?.code ?? '?'}${ev?.reason ? ` ${ev.reason}` : ''})`));
        sock.on('error', (err: Error) => this.onDrop(gen, err?.message ?? 'socket error'));
        sock.connect();
      })
      .catch((err: unknown) => this.onDrop(gen, (err as Error)?.message ?? String(err)));
  }

  private onOpen(gen: number): void {
    if (gen !== this.generation || !this.sock || this.state === 'closed' || this.state === 'failed') return;
    const resumed = this.state === 'retrying';
    this.state = 'open';
    this.lastSendAt = Date.now();
    // Replay: everything kept since the last final (or since the start, for the first connection), minus leading
    // silence on a reconnect, so the new connection is not busy with seconds of nothing before the caller's words.
    const kept = this.ring.readFrom(this.ring.start);
    const skip = resumed ? leadingSilenceBytes(kept, this.s.replayPreRollMs * BYTES_PER_MS) : 0;
    this.connBase = this.ring.start + skip;
    const backlog = kept.subarray(skip);
    try {
      for (let i = 0; i < backlog.length; i += REPLAY_CHUNK_BYTES) this.sock.sendMedia(backlog.subarray(i, i + REPLAY_CHUNK_BYTES));
    } catch {
      /* dropped again at once; the close handler takes over */
    }
    if (resumed) this.log.info({ replayedMs: Math.round(backlog.length / BYTES_PER_MS) }, 'speech recognition reconnected');
    this.startKeepAlive();
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.stableTimer = setTimeout(() => {
      this.stableTimer = null;
      this.outage = null;
    }, this.s.stableAfterMs);
  }

  private onMessage(gen: number, m: unknown): void {
    if (gen !== this.generation || this.state !== 'open' || typeof m !== 'object' || m === null) return;
    const type = (m as { type?: unknown }).type;
    if (type === 'Results') this.onResults(m as ResultsMessage);
    else if (type === 'SpeechStarted') this.emitSafe('speechStarted');
    else if (type === 'UtteranceEnd') this.emitSafe('utteranceEnd');
  }

  private onResults(r: ResultsMessage): void {
    const alts = r.channel?.alternatives ?? [];
    const alternatives: TranscriptAlternative[] = alts.map((a) => ({ text: a.transcript ?? '', confidence: a.confidence ?? 0 }));
    const first = alternatives[0] ?? { text: '', confidence: 0 };
    const isFinal = r.is_final === true;
    if (isFinal) {
      // The audio up to the end of this final is settled; only what follows belongs to the utterance in progress.
      const endMs = ((r.start ?? 0) + (r.duration ?? 0)) * 1000;
      this.ring.trimTo(this.connBase + Math.floor(endMs * BYTES_PER_MS));
    }
    if (!isFinal && first.text === '') return;
    this.emitSafe('transcript', {
      text: first.text, alternatives, confidence: first.confidence, isFinal, speechFinal: r.speech_final === true,
    });
  }

  /**
   * A close or error of the current socket that we did not ask for: retry within the budget, else fail. The SDK
   * reports a refused handshake as a close (1000) followed by the error carrying the HTTP status, so the decision
   * waits one turn of the event loop to hear both.
   */
  private onDrop(gen: number, why: string): void {
    if (gen !== this.generation || this.state === 'closed' || this.state === 'failed') return;
    if (this.dropReasons) {
      this.dropReasons.push(why);
      return;
    }
    this.dropReasons = [why];
    setImmediate(() => {
      const reasons = this.dropReasons ?? [why];
      this.dropReasons = null;
      if (gen === this.generation) this.handleDrop(reasons.join('; '));
    });
  }

  private handleDrop(why: string): void {
    if (this.state === 'closed' || this.state === 'failed') return;
    this.generation++; // later events of this socket are stale
    const sock = this.sock;
    this.sock = null;
    if (sock) void this.closeSocket(sock, false);
    this.stopKeepAlive();
    if (this.stableTimer) {
      clearTimeout(this.stableTimer);
      this.stableTimer = null;
    }
    const now = Date.now();
    if (!this.outage) this.outage = { startedAt: now, attempts: 0 };
    const o = this.outage;
    this.cfg.metrics?.providerErrors.inc({ provider: 'deepgram_stt', kind: this.state === 'open' ? 'drop' : 'connect' });
    const delay = this.s.reconnectBackoffMs[Math.min(o.attempts, this.s.reconnectBackoffMs.length - 1)] ?? 500;
    // A refused key or bad request will not heal by retrying.
    const hopeless = /Unexpected server response: (400|401|402|403)\b/.test(why);
    if (hopeless || o.attempts >= this.s.maxReconnectAttempts || now + delay - o.startedAt >= this.s.reconnectWindowMs) {
      this.fail(new ProviderError('deepgram_stt', `speech recognition unavailable after ${o.attempts} retries: ${why}`, false));
      return;
    }
    o.attempts++;
    this.state = 'retrying';
    this.log.warn({ attempt: o.attempts, delayMs: delay, reason: why }, 'speech recognition dropped; reconnecting');
    this.emitSafe('reconnecting', o.attempts);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.state === 'retrying') this.connect();
    }, delay);
  }

  private fail(err: Error): void {
    this.state = 'failed';
    this.clearTimers();
    this.ring.release();
    this.cfg.metrics?.providerErrors.inc({ provider: 'deepgram_stt', kind: 'failed' });
    this.log.error({ err: err.message }, 'speech recognition failed');
    this.emitSafe('failed', err);
  }

  private startKeepAlive(): void {
    this.stopKeepAlive();
    const tick = Math.max(50, Math.min(1000, this.s.keepAliveMs / 4));
    this.keepAliveTimer = setInterval(() => {
      if (this.state !== 'open' || !this.sock || Date.now() - this.lastSendAt < this.s.keepAliveMs) return;
      try {
        this.sock.sendKeepAlive({ type: 'KeepAlive' });
        this.lastSendAt = Date.now();
      } catch {
        /* the close handler deals with a dead socket */
      }
    }, tick);
  }

  private stopKeepAlive(): void {
    if (this.keepAliveTimer) clearInterval(this.keepAliveTimer);
    this.keepAliveTimer = null;
  }

  private clearTimers(): void {
    this.stopKeepAlive();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.stableTimer) clearTimeout(this.stableTimer);
    this.retryTimer = null;
    this.stableTimer = null;
  }

  /**
   * Closes an SDK socket for good and waits until its TCP connection is gone. CloseStream first when it was open, so
   * Deepgram finishes cleanly; a peer that never answers the close handshake is cut off after a second.
   */
  private async closeSocket(sock: ListenSocket, polite: boolean): Promise<void> {
    // ws instance under the SDK's ReconnectingWebSocket; internal, but the only way to await the TCP close.
    const raw = (sock.socket as unknown as { _ws?: import('ws').WebSocket })._ws;
    try {
      if (polite) sock.sendCloseStream({ type: 'CloseStream' });
    } catch {
      /* not open */
    }
    try {
      sock.close();
    } catch {
      /* already closed */
    }
    if (!raw || raw.readyState === raw.CLOSED) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        raw.terminate();
        resolve();
      }, 1000);
      raw.once('close', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  private emitSafe<K extends keyof SttEvents>(event: K, ...args: SttEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: SttEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      // A listener's bug must not break the provider or reach the SDK's socket callbacks.
      this.log.error({ err: (err as Error)?.message, event }, 'speech listener threw');
    }
  }
}
