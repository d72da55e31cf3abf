// Percentiles and the benchmark's result shape. The JSON keys are a contract (`hermes bench --json`).

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  const rank = Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1));
  return s[rank]!;
}

export const round1 = (n: number): number => Math.round(n * 10) / 10;

export interface BenchResult {
  /** What ran the conversations: `flow:<path>` (the real flow engine, offline reasoner) or `minimal`. */
  core: string;
  calls: number;
  seconds: number;
  /** Server processes: 0 = in the benchmark's process, N = N cluster workers (--workers). */
  workers: number;
  /** sqlite (a file in WAL mode, the default) or postgres (--database-url). */
  database: string;
  turns: number;
  failed: number;
  /** Calls the flow itself ended (e.g. intake complete) before the caller hung up. */
  completed: number;
  /** Those calls by the flow's outcome (message, completed, abandoned = the flow gave up on silence...). */
  completed_by: Record<string, number>;
  /** New calls the load generator dialled in place of ended ones (keeps `calls` in progress). */
  redials: number;
  /** Slots the flow filled per call (p50, max): proof the callers' answers were understood. */
  slots_filled: { p50: number; max: number };
  /** HERMES's own time per turn: end of caller turn (speech_final at the server) -> first outbound frame, minus the
   * time spent waiting on providers (LLM first token, TTS first byte). */
  overhead_ms: { p50: number; p95: number; p99: number };
  /** The same for replies synthesized live (TTS stream), the provider wait taken out. */
  overhead_live_tts_ms: { p50: number; p99: number; n: number };
  /** Caller side: `start` sent -> first greeting frame received. */
  greeting_ms: { p50: number; p99: number };
  /** Server side: end of caller turn (speech_final processed) -> first reply frame out, provider waits included. */
  reply_server_ms: { p50: number; p99: number };
  /** Caller side: end of the caller's speech -> first reply frame (includes endpointing and the fakes' delays). */
  reply_ms: { p50: number; p99: number };
  /** Caller side: the fake STT's speech_final sent -> first reply frame received (the server's reply time from outside,
   * endpointing excluded). The acceptance figure for replies. */
  reply_after_final_ms: { p50: number; p95: number; p99: number; n: number };
  /** Caller side, per call: the longest gap in the greeting's audio (Twilio's buffer ran dry before the next message
   * arrived). calls_over_100ms counts calls that heard a stutter; worst_gap_p99_ms is the p99 of the per-call worst. */
  greeting_gaps: { calls_over_100ms: number; calls_measured: number; worst_gap_p99_ms: number; worst_gap_max_ms: number };
  /** Barge-ins the server counted (hermes_barge_ins_total). */
  barge_ins: number;
  /** Barge-ins without a caller talking over agent audio (callers speak only after silence): late mark echoes. */
  spurious_barge_ins: number;
  /** Times a caller began speaking while agent audio still played at its end (a barge-in the server may count). */
  caller_spoke_over_audio: number;
  /** The server's event-loop delay during the run (perf_hooks monitorEventLoopDelay; the worst worker's), ms. */
  event_loop_delay_ms: { p50: number; p99: number; max: number };
  /** The load generator's own event-loop delay: its caller-side timings are only as good as this. */
  loadgen_event_loop_delay_ms: { p50: number; p99: number; max: number };
  /** Server resident memory with prompts warmed and no call (summed over workers), MB. */
  idle_rss_mb: number;
  /** Outbound pacing lateness of frames against their 20 ms grid (server side). */
  jitter_ms: { p99: number };
  /** Frames the server sent that the callers never received. */
  dropped_frames: number;
  /** Frames released more than 10 ms after their due time. */
  late_frames: number;
  /** Server process CPU (user + system) per minute of call. */
  cpu_ms_per_call_minute: number;
  /** Server resident memory growth at full load, per call. */
  rss_kb_per_call: number;
  /** CPU of the callers and the fake providers (the other processes), per call-minute: what the server competes with. */
  loadgen_cpu_ms_per_call_minute: number;
  /** Processes the callers ran in (--caller-processes); the fake providers had one more of their own. */
  caller_processes: number;
  /** CPU of the fake providers' process alone, per call-minute (part of loadgen_cpu_ms_per_call_minute). */
  fakes_cpu_ms_per_call_minute: number;
  /** The fake providers' event-loop delay: if it is high, provider delays (connects, results) grew in the fakes. */
  fakes_event_loop_delay_ms: { p50: number; p99: number; max: number };
  /** Provider sockets still open at the fakes after every call hung up. */
  provider_sockets_left: number;
  /** Provider failures and fallbacks the server counted (hermes_provider_errors_total). */
  provider_errors: number;
  /** The same by provider and kind (failed = the call fell back; degraded = recovered by a fallback path). */
  provider_errors_by: Record<string, number>;
  provider_delays_ms: { stt: number; tts: number };
  /** Which fake answered recognition and voice (--stt / --tts). */
  speech_providers: { stt: string; tts: string };
  /** Server turn settings overridden for this run (--stt-chunk-frames, --outbound-chunk-frames); absent = defaults. */
  turn_overrides?: Record<string, number>;
}

/** Sampling interval of the event-loop delay monitors (perf_hooks monitorEventLoopDelay), ms. */
export const LOOP_RESOLUTION_MS = 10;

/**
 * Event-loop delay in ms from a monitorEventLoopDelay histogram. Its samples are whole timer intervals, so the
 * resolution is taken off: what remains is how late the loop came back.
 */
export function loopDelay(h: { percentile(p: number): number; max: number; count: number }): { p50: number; p99: number; max: number } {
  if (h.count === 0) return { p50: 0, p99: 0, max: 0 };
  const ms = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
}
