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
  /** CPU of the load generator and fake Deepgram (the other process), per call-minute: what the server competes with. */
  loadgen_cpu_ms_per_call_minute: number;
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
