// Energy and voice activity on mu-law audio: RMS level in dBFS per 20 ms frame and a small speech/silence detector
// with onset and hangover. Used by the fakes (to decide when a caller speaks) and by the call layer (to gate
// barge-in on real energy). Pure: no I/O, no timers; time advances by the frames pushed in.
import { MULAW_DECODE_TABLE } from './mulaw.js';

export const SAMPLE_RATE = 8000;
export const FRAME_MS = 20;
/** Bytes (= samples) in one 20 ms frame of 8 kHz mu-law. */
export const FRAME_BYTES = (SAMPLE_RATE * FRAME_MS) / 1000;
/** Floor reported for digital silence, where the true level is -Infinity. */
export const DBFS_FLOOR = -100;

// Squared sample value per mu-law byte, so an RMS needs no decode pass.
const SQUARES = new Float64Array(256);
for (let i = 0; i < 256; i++) SQUARES[i] = MULAW_DECODE_TABLE[i]! * MULAW_DECODE_TABLE[i]!;

/** RMS level of mu-law audio in dBFS (0 = full scale square wave, DBFS_FLOOR for silence). */
export function rmsDbfs(muLaw: Uint8Array, start = 0, end = muLaw.length): number {
  const n = end - start;
  if (n <= 0) return DBFS_FLOOR;
  let sum = 0;
  for (let i = start; i < end; i++) sum += SQUARES[muLaw[i]!]!;
  const rms = Math.sqrt(sum / n) / 32768;
  if (rms <= 0) return DBFS_FLOOR;
  return Math.max(DBFS_FLOOR, 20 * Math.log10(rms));
}

/** Level of each 20 ms frame of `muLaw` (a trailing partial frame is measured on its own). */
export function frameLevels(muLaw: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < muLaw.length; i += FRAME_BYTES) out.push(rmsDbfs(muLaw, i, Math.min(i + FRAME_BYTES, muLaw.length)));
  return out;
}

export interface VadSettings {
  /** A frame at or above this level counts as voiced. Phone speech sits around -30..-15 dBFS, line noise below -50. */
  thresholdDbfs: number;
  /** Voiced audio needed before speech is declared (filters clicks). */
  onsetMs: number;
  /** Unvoiced audio needed before speech is declared over (bridges the gaps between words). */
  hangoverMs: number;
}

export const DEFAULT_VAD_SETTINGS = {
  thresholdDbfs: -40,
  onsetMs: 60,
  hangoverMs: 200,
} as const satisfies VadSettings;

export type VadChange = 'speechStart' | 'speechEnd' | null;

/**
 * Speech/silence state machine fed with frames. Times are in audio milliseconds (frames x 20 ms), so it behaves the
 * same whether audio arrives in real time or faster.
 */
export class VoiceActivityDetector {
  private readonly s: VadSettings;
  private voicedMs = 0;
  private unvoicedMs = 0;
  private speaking = false;
  /** Audio milliseconds seen so far. */
  elapsedMs = 0;
  /** Audio time at which the current (or last) speech started, including its onset. */
  speechStartMs = 0;
  /** Audio time of the last voiced frame. */
  lastVoiceMs = 0;

  constructor(settings: Partial<VadSettings> = {}) {
    this.s = { ...DEFAULT_VAD_SETTINGS, ...settings };
  }

  get inSpeech(): boolean {
    return this.speaking;
  }

  /** Feeds audio of any length; it is measured in 20 ms frames. Returns the last state change it caused, if any. */
  push(muLaw: Uint8Array): VadChange {
    let change: VadChange = null;
    for (let i = 0; i < muLaw.length; i += FRAME_BYTES) {
      const end = Math.min(i + FRAME_BYTES, muLaw.length);
      const c = this.pushFrame(rmsDbfs(muLaw, i, end), ((end - i) / SAMPLE_RATE) * 1000);
      if (c) change = c;
    }
    return change;
  }

  /** Feeds one measured frame. */
  pushFrame(levelDbfs: number, durationMs = FRAME_MS): VadChange {
    this.elapsedMs += durationMs;
    const voiced = levelDbfs >= this.s.thresholdDbfs;
    if (voiced) {
      this.lastVoiceMs = this.elapsedMs;
      this.voicedMs += durationMs;
      this.unvoicedMs = 0;
      if (!this.speaking && this.voicedMs >= this.s.onsetMs) {
        this.speaking = true;
        this.speechStartMs = this.elapsedMs - this.voicedMs;
        return 'speechStart';
      }
    } else {
      this.unvoicedMs += durationMs;
      if (!this.speaking) this.voicedMs = 0;
      if (this.speaking && this.unvoicedMs >= this.s.hangoverMs) {
        this.speaking = false;
        this.voicedMs = 0;
        return 'speechEnd';
      }
    }
    return null;
  }

  reset(): void {
    this.voicedMs = 0;
    this.unvoicedMs = 0;
    this.speaking = false;
  }
}
