// Local endpointing for recognisers that transcribe whole utterances (Whisper-family servers): the project's energy
// VAD runs on the inbound 8 kHz mu-law, and each stretch of speech comes out as one utterance (with a little audio
// from before the onset, so the first syllable is not clipped) when the caller has been quiet for the hangover.
// A caller who talks past maxUtteranceMs is cut there and continues in a new utterance (not the end of the turn).
// Pure: no I/O, no timers; time is the audio pushed in (20 ms frames).
import { FRAME_BYTES, VoiceActivityDetector } from '../audio/energy.js';
import { ByteRing } from './byte-ring.js';

const BYTES_PER_MS = 8;
/** Of the hangover silence that ends an utterance, this much is kept (Whisper invents words in long silences). */
const TRAILING_KEEP_MS = 200;

export interface EndpointerSettings {
  thresholdDbfs: number;
  onsetMs: number;
  /** Silence that ends an utterance. */
  endpointingMs: number;
  preRollMs: number;
  maxUtteranceMs: number;
}

export type EndpointEvent =
  | { type: 'speechStarted' }
  /** `endOfTurn` false: cut at maxUtteranceMs while the caller still talks. */
  | { type: 'utterance'; audio: Buffer; endOfTurn: boolean };

export class UtteranceEndpointer {
  private readonly vad: VoiceActivityDetector;
  private readonly preRoll: ByteRing;
  private parts: Buffer[] = [];
  private bytes = 0;
  private carry: Buffer = Buffer.alloc(0);

  constructor(private readonly s: EndpointerSettings) {
    this.vad = new VoiceActivityDetector({ thresholdDbfs: s.thresholdDbfs, onsetMs: s.onsetMs, hangoverMs: s.endpointingMs });
    // The onset frames are heard before speech is declared: keep them as well as the pre-roll.
    this.preRoll = new ByteRing((s.preRollMs + s.onsetMs) * BYTES_PER_MS);
  }

  get inSpeech(): boolean {
    return this.vad.inSpeech;
  }

  /** Feeds inbound audio of any chunking; returns what it ended or began, in order. */
  push(muLaw: Buffer): EndpointEvent[] {
    const out: EndpointEvent[] = [];
    let data = this.carry.length > 0 ? Buffer.concat([this.carry, muLaw]) : muLaw;
    const whole = data.length - (data.length % FRAME_BYTES);
    this.carry = whole < data.length ? Buffer.from(data.subarray(whole)) : Buffer.alloc(0);
    data = data.subarray(0, whole);
    for (let i = 0; i < data.length; i += FRAME_BYTES) this.frame(data.subarray(i, i + FRAME_BYTES), out);
    return out;
  }

  /** Ends the utterance in progress now (the call asked to finalize); null when the caller is not speaking. */
  flush(): EndpointEvent | null {
    if (!this.vad.inSpeech || this.bytes === 0) return null;
    this.vad.reset();
    return this.cut(true, 0);
  }

  private frame(f: Buffer, out: EndpointEvent[]): void {
    const wasSpeaking = this.vad.inSpeech;
    const change = this.vad.push(f);
    if (!wasSpeaking && change !== 'speechStart') {
      this.preRoll.append(f);
      return;
    }
    if (change === 'speechStart') {
      const before = this.preRoll.readFrom();
      this.preRoll.trimTo(this.preRoll.end);
      this.parts = [before];
      this.bytes = before.length;
      out.push({ type: 'speechStarted' });
    }
    this.parts.push(Buffer.from(f));
    this.bytes += f.length;
    if (change === 'speechEnd') {
      out.push(this.cut(true, Math.max(0, this.s.endpointingMs - TRAILING_KEEP_MS) * BYTES_PER_MS));
    } else if (this.bytes >= this.s.maxUtteranceMs * BYTES_PER_MS) {
      out.push(this.cut(false, 0));
    }
  }

  private cut(endOfTurn: boolean, dropTail: number): EndpointEvent {
    const all = Buffer.concat(this.parts, this.bytes);
    this.parts = [];
    this.bytes = 0;
    return { type: 'utterance', audio: all.subarray(0, Math.max(FRAME_BYTES, all.length - dropTail)), endOfTurn };
  }
}
