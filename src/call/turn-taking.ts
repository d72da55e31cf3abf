// Turn-taking from STT events: assembles the caller's utterance from final segments, decides when the turn ends
// (speech_final, or UtteranceEnd when noise defeats endpointing) and whether caller speech over HERMES is a real
// interruption or a backchannel ("mhm", "okay") that must not stop it. Pure state machine: no timers, no I/O.
import type { Alternative } from '../flows/events.js';
import type { TurnSettings } from './turn-settings.js';

export interface SttTranscript {
  text: string;
  alternatives: Alternative[];
  confidence: number;
  isFinal: boolean;
  speechFinal: boolean;
}

export interface CallerTurn {
  text: string;
  alternatives: Alternative[];
  confidence: number;
  /** performance.now() when speech began (SpeechStarted or first words). */
  startedAt: number;
  endedAt: number;
}

export type TurnAction =
  | { kind: 'none' }
  /** The caller interrupted HERMES; `turn` is set when the same transcript also ended the caller's turn. */
  | { kind: 'bargeIn'; turn?: CallerTurn }
  | { kind: 'turnEnd'; turn: CallerTurn };

const NONE: TurnAction = { kind: 'none' };

export class TurnTaking {
  private parts: string[] = [];
  private interim = '';
  private alternatives: Alternative[] = [];
  private confidences: number[] = [];
  private startedAt: number | null = null;
  private readonly backchannels: Set<string>;
  private readonly multiWordBackchannels: string[][];

  constructor(private readonly s: TurnSettings) {
    this.backchannels = new Set(s.backchannels.filter((b) => !b.includes(' ')).map(normalise));
    this.multiWordBackchannels = s.backchannels.filter((b) => b.includes(' ')).map((b) => words(b));
  }

  /** Caller speech begun (voice activity); a turn in progress keeps its start. */
  speechStarted(now: number): void {
    if (this.startedAt === null) this.startedAt = now;
  }

  /** True once the caller has said anything in the turn in progress. */
  get inTurn(): boolean {
    return this.parts.length > 0 || this.interim !== '';
  }

  /**
   * Feeds one transcript. `agentSpeaking` and `interruptible` describe the playback at this moment.
   * Returns bargeIn at most once per agent speech (the caller resets by interrupting).
   */
  transcript(t: SttTranscript, now: number, agentSpeaking: boolean, interruptible: boolean): TurnAction {
    const text = t.text.trim();
    if (text && this.startedAt === null) this.startedAt = now;
    if (t.isFinal) {
      if (text) {
        this.parts.push(text);
        this.confidences.push(t.confidence);
        if (t.alternatives.length) this.alternatives = t.alternatives;
      }
      this.interim = '';
    } else {
      this.interim = text;
    }
    if (agentSpeaking && interruptible) {
      const meaningful = this.meaningfulWords(this.current());
      if (meaningful >= this.s.bargeInMinWords || (t.isFinal && this.s.bargeInOnFinalWord && meaningful >= 1)) {
        if (!t.speechFinal) return { kind: 'bargeIn' };
        const end = this.endTurn(now);
        return end.kind === 'turnEnd' ? { kind: 'bargeIn', turn: end.turn } : { kind: 'bargeIn' };
      }
    }
    if (t.speechFinal) return this.endTurn(now);
    return NONE;
  }

  utteranceEnd(now: number): TurnAction {
    return this.endTurn(now);
  }

  /** True when the whole utterance is backchannel words only (it must not move the conversation while HERMES talks). */
  isBackchannel(text: string): boolean {
    return words(text).length > 0 && this.meaningfulWords(text) === 0;
  }

  /** Drops the turn in progress (the caller's words were a backchannel, or the call is ending). */
  reset(): void {
    this.parts = [];
    this.interim = '';
    this.alternatives = [];
    this.confidences = [];
    this.startedAt = null;
  }

  private current(): string {
    return this.interim ? [...this.parts, this.interim].join(' ') : this.parts.join(' ');
  }

  private endTurn(now: number): TurnAction {
    // Interim words count when the provider ends the turn before finalising them (UtteranceEnd after noise).
    const text = this.current().trim();
    if (!text) {
      this.reset();
      return NONE;
    }
    const confidence = this.confidences.length ? this.confidences.reduce((a, b) => a + b, 0) / this.confidences.length : 0;
    const alternatives = this.parts.length > 1 || this.alternatives.length === 0 ? [{ text, confidence }] : this.alternatives;
    const turn: CallerTurn = { text, alternatives, confidence, startedAt: this.startedAt ?? now, endedAt: now };
    this.reset();
    return { kind: 'turnEnd', turn };
  }

  private meaningfulWords(text: string): number {
    const w = words(text);
    let n = 0;
    for (let i = 0; i < w.length; i++) {
      const multi = this.multiWordBackchannels.find((m) => m.every((x, k) => w[i + k] === x));
      if (multi) {
        i += multi.length - 1;
        continue;
      }
      if (!this.backchannels.has(w[i]!)) n++;
    }
    return n;
  }
}

function normalise(w: string): string {
  return w.toLowerCase().replace(/[^a-z0-9'-]/g, '');
}

function words(text: string): string[] {
  return text.split(/\s+/).map(normalise).filter(Boolean);
}
