// One fake Deepgram /v1/listen connection: decodes the mu-law it receives, runs an energy VAD over it in AUDIO time
// (so it behaves the same at real time or faster), and answers in Deepgram's live wire format: SpeechStarted,
// interim Results, a final Results with speech_final after `endpointing` ms of silence, UtteranceEnd after
// `utterance_end_ms`, Metadata on CloseStream, and a 1011 close after the idle timeout without audio or KeepAlive.
import { randomUUID } from 'node:crypto';
import type { WebSocket } from 'ws';
import { VoiceActivityDetector, FRAME_BYTES, rmsDbfs, type VadSettings } from '../../audio/energy.js';

/** What a scripted caller "said" in one utterance. */
export interface ScriptedUtterance {
  text: string;
  confidence?: number;
  /** Further alternatives after the first (needs `alternatives=N` in real Deepgram; the fake always sends them). */
  alternatives?: { text: string; confidence: number }[];
  /** Simulates background noise that defeats endpointing: no speech_final, only UtteranceEnd ends the turn. */
  noSpeechFinal?: boolean;
}

export interface ScriptContext {
  /** `tag` query parameter of the connection, or `conn-<id>` when none was sent. */
  key: string;
  /** Utterances already completed under this key (survives reconnects, so a replayed utterance keeps its text). */
  utteranceIndex: number;
  connectionId: number;
  params: URLSearchParams;
}

export type Script = (ctx: ScriptContext) => string | ScriptedUtterance | undefined;

/** Per-key progress through the script; survives reconnects so a replayed utterance continues where it was. */
export interface KeyProgress {
  utterances: number;
  /** Words of the interrupted utterance already finalized before its connection dropped. */
  carriedWords: number;
}

export interface ListenSettings {
  vad: Partial<VadSettings>;
  /** Interim Results every this many ms of speech (audio time). */
  interimEveryMs: number;
  /**
   * A long utterance is finalized in pieces (is_final without speech_final) every this many ms of speech, as the
   * real service does; 0 = one final per utterance.
   */
  segmentEveryMs: number;
  /** Wall-clock delay added before every message this fake sends (a provider latency the benchmark fixes). */
  resultDelayMs: number;
  /** Close with 1011 after this long without audio or KeepAlive (the real service uses 10 s). */
  idleTimeoutMs: number;
}

export interface ListenConnectionInfo {
  id: number;
  key: string;
  params: URLSearchParams;
  authorization: string | undefined;
  audioBytes: number;
  keepAlives: number;
  finalizes: number;
  closeStreams: number;
  /** JSON messages sent, in order (the last 500, for assertions). */
  sent: Record<string, unknown>[];
  open: boolean;
  closeCode: number | null;
  /** Milliseconds of speech in the utterance in progress (audio time), 0 when silent. */
  speechMs: number;
}

const MODEL_UUID = '1dbdfb4d-85b2-4659-9c6f-7c7a0c1e4a3f';

export class FakeListenConnection {
  readonly info: ListenConnectionInfo;
  private readonly vad: VoiceActivityDetector;
  private readonly endpointingMs: number | null;
  private readonly utteranceEndMs: number | null;
  private readonly interim: boolean;
  private readonly vadEvents: boolean;
  private readonly requestId = randomUUID();
  private idleTimer: NodeJS.Timeout | null = null;
  private lastActivity = Date.now();
  private audioMs = 0;
  private inSpeech = false;
  private speechStartMs = 0;
  private lastVoicedMs = 0;
  private silenceMs = 0;
  private nextInterimAt = 0;
  /** Whether words were finalized with no UtteranceEnd sent yet. */
  private pendingUtteranceEnd = false;
  private lastWordEndS = 0;
  private current: ScriptedUtterance | null = null;
  /** Start (audio ms) of the segment since the last final, and words already finalized in this utterance. */
  private segStartMs = 0;
  private wordsDone = 0;
  private nextSegmentAt = Infinity;

  constructor(
    private readonly ws: WebSocket,
    id: number,
    params: URLSearchParams,
    authorization: string | undefined,
    private readonly settings: ListenSettings,
    private readonly script: Script,
    private readonly counters: Map<string, KeyProgress>,
    private readonly hooks: { onSpeechMs?: (c: FakeListenConnection) => void; onSpeechFinal?: (key: string) => void },
  ) {
    const key = params.get('tag') ?? `conn-${id}`;
    this.info = {
      id, key, params, authorization, audioBytes: 0, keepAlives: 0, finalizes: 0, closeStreams: 0, sent: [], open: true,
      closeCode: null, speechMs: 0,
    };
    const ep = params.get('endpointing');
    // Deepgram's default endpointing is 10 ms; `false` turns it off.
    this.endpointingMs = ep === 'false' ? null : ep === null ? 10 : Number(ep);
    const ue = params.get('utterance_end_ms');
    this.utteranceEndMs = ue === null ? null : Number(ue);
    this.interim = params.get('interim_results') === 'true';
    this.vadEvents = params.get('vad_events') === 'true';
    // The VAD's hangover is short; endpointing is measured separately so 300 ms and 1000 ms both behave.
    this.vad = new VoiceActivityDetector({ hangoverMs: 60, ...settings.vad });
    ws.on('message', (data, isBinary) => this.onMessage(data as Buffer, isBinary));
    ws.on('close', (code) => {
      // Words already finalized stay said: a replay on a new connection continues after them.
      if (this.inSpeech) this.progress().carriedWords = this.wordsDone;
      this.info.open = false;
      this.info.closeCode = code;
      this.clearIdle();
    });
    ws.on('error', () => undefined);
    this.armIdle();
  }

  private progress(): KeyProgress {
    let p = this.counters.get(this.info.key);
    if (!p) {
      p = { utterances: 0, carriedWords: 0 };
      this.counters.set(this.info.key, p);
    }
    return p;
  }

  /** Abruptly kills the TCP connection mid-stream (client sees 1006), like a network drop or a crashed node. */
  drop(): void {
    this.clearIdle();
    this.ws.terminate();
  }

  private onMessage(data: Buffer, isBinary: boolean): void {
    this.armIdle();
    if (isBinary) {
      this.onAudio(data);
      return;
    }
    let msg: { type?: string };
    try {
      msg = JSON.parse(data.toString('utf8')) as { type?: string };
    } catch {
      this.closeWith(1008, 'DATA-0000: invalid JSON');
      return;
    }
    if (msg.type === 'KeepAlive') this.info.keepAlives++;
    else if (msg.type === 'Finalize') {
      this.info.finalizes++;
      if (this.inSpeech) this.endUtterance(true, true);
    } else if (msg.type === 'CloseStream') {
      this.info.closeStreams++;
      if (this.inSpeech) this.endUtterance(true, false);
      this.send({
        type: 'Metadata', transaction_key: 'deprecated', request_id: this.requestId, sha256: '0'.repeat(64),
        created: new Date().toISOString(), duration: this.audioMs / 1000, channels: 1,
      });
      this.closeWith(1000, '');
    }
  }

  private onAudio(buf: Buffer): void {
    this.info.audioBytes += buf.length;
    for (let i = 0; i < buf.length; i += FRAME_BYTES) {
      const end = Math.min(i + FRAME_BYTES, buf.length);
      const ms = (end - i) / 8;
      const level = rmsDbfs(buf, i, end);
      const change = this.vad.pushFrame(level, ms);
      this.audioMs += ms;
      if (change === 'speechStart' && !this.inSpeech) this.startUtterance();
      if (this.inSpeech) {
        if (this.vad.inSpeech) {
          this.lastVoicedMs = this.audioMs;
          this.silenceMs = 0;
        } else this.silenceMs += ms;
        this.info.speechMs = this.lastVoicedMs - this.speechStartMs;
        this.hooks.onSpeechMs?.(this);
        if (!this.info.open) return;
        if (this.vad.inSpeech && this.audioMs >= this.nextSegmentAt) {
          this.nextSegmentAt = this.audioMs + this.settings.segmentEveryMs;
          this.sendResults(true, false, false, false);
        } else if (this.interim && this.vad.inSpeech && this.audioMs >= this.nextInterimAt) {
          this.nextInterimAt = this.audioMs + this.settings.interimEveryMs;
          this.sendResults(false, false, false);
        }
        if (this.endpointingMs !== null && !this.current!.noSpeechFinal && this.silenceMs >= Math.max(this.endpointingMs, 60)) {
          this.endUtterance(true, false);
        }
      } else if (this.pendingUtteranceEnd && this.utteranceEndMs !== null && this.interim) {
        if (this.audioMs / 1000 - this.lastWordEndS >= this.utteranceEndMs / 1000 && !this.vad.inSpeech) {
          this.pendingUtteranceEnd = false;
          this.send({ type: 'UtteranceEnd', channel: [0, 1], last_word_end: round(this.lastWordEndS) });
        }
      }
      // Without endpointing, noisy audio: finalize when the utterance-end gap has passed.
      if (this.inSpeech && this.current!.noSpeechFinal && this.utteranceEndMs !== null && this.silenceMs >= this.utteranceEndMs) {
        this.endUtterance(false, false);
        this.pendingUtteranceEnd = false;
        this.send({ type: 'UtteranceEnd', channel: [0, 1], last_word_end: round(this.lastWordEndS) });
      }
    }
  }

  private startUtterance(): void {
    this.inSpeech = true;
    this.speechStartMs = this.vad.speechStartMs;
    this.lastVoicedMs = this.audioMs;
    this.silenceMs = 0;
    this.nextInterimAt = this.audioMs + this.settings.interimEveryMs;
    this.segStartMs = this.speechStartMs;
    this.wordsDone = 0;
    this.nextSegmentAt = this.settings.segmentEveryMs > 0 ? this.speechStartMs + this.settings.segmentEveryMs : Infinity;
    const progress = this.progress();
    const idx = progress.utterances;
    this.wordsDone = progress.carriedWords;
    progress.carriedWords = 0;
    const s = this.script({ key: this.info.key, utteranceIndex: idx, connectionId: this.info.id, params: this.info.params });
    this.current = typeof s === 'string' ? { text: s } : s ?? { text: '' };
    if (this.vadEvents) this.send({ type: 'SpeechStarted', channel: [0], timestamp: round(this.speechStartMs / 1000) });
  }

  /** Sends the final Results of the utterance in progress and counts it as said. */
  private endUtterance(speechFinal: boolean, fromFinalize: boolean): void {
    this.sendResults(true, speechFinal && !this.current!.noSpeechFinal, fromFinalize);
    this.inSpeech = false;
    this.info.speechMs = 0;
    this.vad.reset();
    this.progress().utterances++;
    this.pendingUtteranceEnd = true;
    this.lastWordEndS = this.lastVoicedMs / 1000;
    this.current = null;
  }

  /**
   * Sends Results for the utterance in progress. Like the real service, each final covers only the audio and words
   * since the previous final (start/duration of that segment), so a long utterance arrives as several is_final
   * pieces and the speech_final one carries only the last piece.
   */
  private sendResults(isFinal: boolean, speechFinal: boolean, fromFinalize: boolean, endOfUtterance = isFinal): void {
    const u = this.current!;
    const startS = this.segStartMs / 1000;
    const endMs = isFinal && endOfUtterance ? this.lastVoicedMs : this.audioMs;
    const endS = endMs / 1000;
    const total = u.text.split(/\s+/).filter(Boolean).length;
    // Words recognised so far grow with the speech heard, as the real service's interim results do.
    const spokenMs = this.audioMs - this.speechStartMs;
    const expected = Math.floor((total * spokenMs) / Math.max(spokenMs + 400, 1));
    const upTo = isFinal && endOfUtterance ? total : Math.min(total, Math.max(this.wordsDone + 1, expected));
    const from = this.wordsDone;
    const alt = (text: string, confidence: number) => {
      const ws = text.split(/\s+/).filter(Boolean).slice(from, upTo);
      const step = ws.length ? (endS - startS) / ws.length : 0;
      return {
        transcript: ws.join(' '),
        confidence,
        words: ws.map((w, i) => ({
          word: w.toLowerCase().replace(/[^\p{L}\p{N}'-]/gu, ''), start: round(startS + i * step), end: round(startS + (i + 1) * step),
          confidence, punctuated_word: w,
        })),
      };
    };
    const msg: Record<string, unknown> = {
      type: 'Results', channel_index: [0, 1], duration: round(endS - startS), start: round(startS), is_final: isFinal,
      speech_final: speechFinal,
      channel: { alternatives: [alt(u.text, u.confidence ?? 0.98), ...(u.alternatives ?? []).map((a) => alt(a.text, a.confidence))] },
      metadata: { request_id: this.requestId, model_info: { name: 'general-nova-3', version: '2024-01-09.29447', arch: 'nova-3' }, model_uuid: MODEL_UUID },
    };
    if (fromFinalize) msg.from_finalize = true;
    if (isFinal) {
      this.wordsDone = upTo;
      this.segStartMs = endMs;
    }
    this.send(msg);
  }

  private send(msg: Record<string, unknown>): void {
    this.info.sent.push(msg);
    if (this.info.sent.length > 500) this.info.sent.splice(0, this.info.sent.length - 500);
    const text = JSON.stringify(msg);
    const final = msg.speech_final === true;
    const out = () => {
      if (this.ws.readyState !== this.ws.OPEN) return;
      this.ws.send(text);
      // The moment the caller's turn is over for the server: the benchmark measures the reply from here.
      if (final) this.hooks.onSpeechFinal?.(this.info.key);
    };
    if (this.settings.resultDelayMs > 0) setTimeout(out, this.settings.resultDelayMs);
    else out();
  }

  private closeWith(code: number, reason: string): void {
    this.clearIdle();
    const close = () => {
      if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, reason);
    };
    // Let delayed messages go out first.
    if (this.settings.resultDelayMs > 0) setTimeout(close, this.settings.resultDelayMs + 1);
    else close();
  }

  /** Notes activity; the idle timer is re-armed lazily (one timer per connection, not one per audio frame). */
  private armIdle(): void {
    this.lastActivity = Date.now();
    if (this.idleTimer) return;
    const check = () => {
      const idleFor = Date.now() - this.lastActivity;
      if (idleFor >= this.settings.idleTimeoutMs) {
        this.idleTimer = null;
        this.closeWith(1011, 'NET-0001: Deepgram did not receive audio data or a text message within the timeout window.');
        return;
      }
      this.idleTimer = setTimeout(check, this.settings.idleTimeoutMs - idleFor);
    };
    this.idleTimer = setTimeout(check, this.settings.idleTimeoutMs);
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
