// HERMES's turns in flight: what each say meant to say, which caller turn it answers, and its latency split (end of
// caller turn -> LLM first token -> TTS first byte -> first frame out), fed to the metrics and the benchmark.
import type { Metrics } from '../observability/metrics.js';
import type { TurnTimings } from '../intake/types.js';
import type { SpeakTiming } from './speaker.js';
import type { SessionObserver } from './ports.js';

export interface AgentTurn {
  text: string;
  /** End of the caller turn this say answers (timings are relative to it). */
  ref: number | null;
  /** Only the first say after a caller turn feeds the latency metrics (later ones include the first's playback). */
  measure: boolean;
  greeting: boolean;
  startedAt: Date;
  firstFrameAt: number | null;
  timing: SpeakTiming | null;
}

export class AgentTurns {
  private readonly turns = new Map<string, AgentTurn>();

  constructor(
    private readonly callSid: string,
    private readonly metrics: Metrics,
    private readonly observer: SessionObserver | undefined,
  ) {}

  begin(id: string, text: string, ref: number | null, measure: boolean, greeting: boolean): void {
    this.turns.set(id, { text, ref, measure, greeting, startedAt: new Date(), firstFrameAt: null, timing: null });
  }

  setText(id: string, text: string): void {
    const a = this.turns.get(id);
    if (a) a.text = text;
  }

  setTiming(id: string, t: SpeakTiming): void {
    const a = this.turns.get(id);
    if (a) a.timing = t;
  }

  /** Removes and returns the turn (it ended: played, cut or abandoned). */
  take(id: string): AgentTurn | undefined {
    const a = this.turns.get(id);
    this.turns.delete(id);
    return a;
  }

  /** Removes and returns every turn still in flight. */
  takeAll(): AgentTurn[] {
    const all = [...this.turns.values()];
    this.turns.clear();
    return all;
  }

  firstFrame(id: string, at: number): void {
    const a = this.turns.get(id);
    if (!a) return;
    a.firstFrameAt = at;
    if (a.ref === null || !a.measure) return;
    const m = this.metrics;
    const firstFrameMs = at - a.ref;
    if (a.greeting) m.greetingLatency.observe(firstFrameMs);
    else {
      m.turnLatency.observe({ stage: 'first_frame' }, firstFrameMs);
      if (a.timing?.llmFirstTokenAt) m.turnLatency.observe({ stage: 'llm_first_token' }, a.timing.llmFirstTokenAt - a.ref);
      if (a.timing?.ttsFirstByteAt) m.turnLatency.observe({ stage: 'tts_first_byte' }, a.timing.ttsFirstByteAt - a.ref);
    }
    this.observer?.agentTurn?.({ callSid: this.callSid, greeting: a.greeting, firstFrameMs, providerWaitMs: a.timing?.providerWaitMs ?? 0, cached: a.timing?.cached ?? false });
  }

  static timings(a: AgentTurn): TurnTimings | null {
    if (a.ref === null) return null;
    const ref = a.ref;
    const rel = (t: number | null | undefined) => (t === null || t === undefined ? null : t - ref);
    return { llmFirstTokenMs: rel(a.timing?.llmFirstTokenAt), ttsFirstByteMs: a.timing?.cached ? 0 : rel(a.timing?.ttsFirstByteAt), firstFrameMs: rel(a.firstFrameAt) };
  }
}
