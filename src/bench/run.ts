// Runs one benchmark: the HERMES server (server.ts: real app, real services, SQLite on disk, silent logs) in this
// process or as --workers N cluster workers (workers.ts); the fake providers in a child process of their own
// (fakes-process.ts); N simulated Twilio callers in one or more further child processes (loadgen.ts,
// --caller-processes), so that the server's CPU and memory are its own and 1,000 callers' ticks cannot starve the
// fakes' accept loop. The callers measure what a caller hears (greeting and reply latency, gaps in the greeting); the
// server measures its own overhead and event loop. Returns the measured figures; --ramp repeats it with growing N.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { SpeechProviderName } from '../config.js';
import { createDb } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { percentileOf } from '../audio/pacer.js';
import { packagePath } from '../paths.js';
import type { TurnSettings } from '../call/turn-settings.js';
import { percentile, round1, type BenchResult } from './stats.js';
import { BENCH_ACCOUNT_SID, BENCH_AUTH_TOKEN, BENCH_PUBLIC_URL, startBenchServer, type BenchServer, type BenchServerOptions } from './server.js';
import { startBenchWorkers } from './workers.js';
import { benchDatabase, type BenchDatabase } from './database.js';
import type { CallerStats, LoadgenRequest, LoadgenRun } from './loadgen.js';
import type { FakesReply, FakesRequest } from './fakes-process.js';
import { endChild, forkChild, mergeCallerStats, waitFor } from './children.js';

export interface BenchOptions {
  /** Flow file run by the real flow engine (offline reasoner); null = the benchmark's minimal core. */
  flow: string | null;
  calls: number;
  seconds: number;
  sttDelayMs: number;
  ttsDelayMs: number;
  /** Length of the fake TTS audio per character of text (speaking rate; 45 ms is a brisk voice). */
  ttsMsPerChar: number;
  /** Every n-th reply is synthesized live (TTS stream) instead of played from the prompt cache; 0 = never. */
  dynamicEvery: number;
  rampUpMs: number;
  speechMs: number;
  thinkMs: number;
  /** A caller speaks only after this long without agent audio (1.5 s: real callers wait for the agent to finish). */
  silenceBeforeSpeechMs?: number;
  /** A PostgreSQL server (postgres://...) to create the run's database on; default a SQLite file in WAL mode. */
  databaseUrl?: string;
  /** Server processes: 0 = the server runs in this process; N >= 1 = N node:cluster workers on one port. */
  workers?: number;
  /** Who recognises and who speaks: the fake Deepgram, or the fake OpenAI-compatible audio server (on-premises path). */
  stt?: SpeechProviderName;
  tts?: SpeechProviderName;
  /** Turn settings that differ from the server's defaults (to measure e.g. larger STT chunks); none by default. */
  turn?: Partial<TurnSettings>;
  /** Processes the callers are spread over (default 1); the fake providers always have a process of their own. */
  callerProcesses?: number;
  /** Write a V8 CPU profile of each server process over the measured window into this folder (`--profile-dir`). */
  profileDir?: string;
}

/** The bundled intake flow, which the benchmark runs by default. */
export const BUNDLED_FLOW = packagePath('flows', 'intake.yaml');

export const DEFAULT_BENCH = {
  flow: BUNDLED_FLOW as string | null,
  calls: 50,
  seconds: 20,
  sttDelayMs: 20,
  ttsDelayMs: 50,
  ttsMsPerChar: 45,
  dynamicEvery: 3,
  rampUpMs: -1,
  speechMs: 1200,
  thinkMs: 0,
  silenceBeforeSpeechMs: 1500,
  workers: 0,
  callerProcesses: 1,
} as const satisfies BenchOptions;


export async function runBench(opts: BenchOptions, progress: (line: string) => void = () => undefined): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hermes-bench-'));
  const children: ChildProcess[] = [];
  let server: BenchServer | null = null;
  let database: BenchDatabase | null = null;
  try {
    const fakes = await forkChild('fakes-process');
    children.push(fakes);
    const callers: ChildProcess[] = [];
    for (let i = 0; i < Math.max(1, opts.callerProcesses ?? 1); i++) callers.push(await forkChild('loadgen'));
    children.push(...callers);
    const tell = (c: ChildProcess, m: LoadgenRequest) => c.send(m);
    // Every speech_final reaches every caller process; the one holding that call keeps its time.
    fakes.on('message', (m: FakesReply) => {
      if (m.type === 'final') for (const c of callers) tell(c, m);
    });
    database = await benchDatabase(dir, opts.databaseUrl);
    const onPrem = opts.stt === 'openai-compatible' || opts.tts === 'openai-compatible';
    const configure: FakesRequest = { type: 'configure', sttDelayMs: opts.sttDelayMs, ttsDelayMs: opts.ttsDelayMs, ttsMsPerChar: opts.ttsMsPerChar, script: opts.flow ? 'intake' : 'minimal', openaiAudio: onPrem };
    fakes.send(configure);
    const ready = await waitFor<Extract<FakesReply, { type: 'ready' }>>(fakes, 'ready');
    const db = createDb(database.url);
    await migrateLatest(db);
    await db.destroy();
    const serverOpts: BenchServerOptions = {
      flow: opts.flow, dynamicEvery: opts.dynamicEvery, dbUrl: database.url, promptDir: join(dir, 'prompts'), deepgramUrl: ready.deepgramUrl, apiKey: ready.apiKey,
      openaiAudioUrl: ready.openaiAudioUrl, stt: opts.stt ?? 'deepgram', tts: opts.tts ?? 'deepgram', port: 0, ...(opts.turn ? { turn: opts.turn } : {}),
      ...(opts.profileDir ? { profileDir: opts.profileDir } : {}),
    };
    const workers = opts.workers ?? 0;
    server = workers > 0 ? await startBenchWorkers(workers, serverOpts) : await startBenchServer(serverOpts);

    // Idle: the server is up with its prompts warmed and no call yet (RSS summed over the worker processes).
    global.gc?.();
    const idle = workers > 0 ? (await server.collect()).rssBytes : process.memoryUsage.rss();
    const rss0 = workers > 0 ? idle : process.memoryUsage.rss();
    let rssPeak = rss0;
    // Workers report their memory over IPC (summed), so they are sampled less often than this process would be.
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, workers > 0 ? server!.counts().rssBytes : process.memoryUsage.rss());
    }, workers > 0 ? 1000 : 250);
    const rampUpMs = opts.rampUpMs >= 0 ? opts.rampUpMs : Math.min(opts.calls * 5, opts.seconds * 300);
    const run: LoadgenRun = {
      serverUrl: server.url, publicUrl: BENCH_PUBLIC_URL, authToken: BENCH_AUTH_TOKEN, accountSid: BENCH_ACCOUNT_SID, calls: opts.calls, seconds: opts.seconds,
      rampUpMs, speechMs: opts.speechMs, thinkMs: opts.thinkMs, silenceBeforeSpeechMs: opts.silenceBeforeSpeechMs ?? DEFAULT_BENCH.silenceBeforeSpeechMs,
    };
    progress(`running ${opts.calls} calls for ${opts.seconds} s (ramp-up ${(rampUpMs / 1000).toFixed(1)} s, ${workers > 0 ? `${workers} workers` : 'in process'}, ${callers.length} caller process${callers.length > 1 ? 'es' : ''})...`);
    server.begin();
    // The harness's processes are profiled into a subfolder, so the server's profiles can be read on their own.
    const harnessProfiles = opts.profileDir ? join(opts.profileDir, 'harness') : undefined;
    fakes.send({ type: 'begin', ...(harnessProfiles ? { profileDir: harnessProfiles } : {}) } satisfies FakesRequest);
    const results = await Promise.all(callers.map((c, index) => {
      tell(c, { type: 'run', run: { ...run, part: { index, of: callers.length }, ...(harnessProfiles ? { profileDir: harnessProfiles } : {}) } });
      return waitFor<{ stats: CallerStats; cpuMs: number }>(c, 'result');
    }));
    fakes.send({ type: 'stats' } satisfies FakesRequest);
    const fakeStats = await waitFor<Extract<FakesReply, { type: 'stats' }>>(fakes, 'stats');
    const res = { stats: mergeCallerStats(results.map((r) => r.stats)), cpuMs: results.reduce((n, r) => n + r.cpuMs, 0) };
    clearInterval(sampler);
    // Sessions close as the hang-ups arrive; give the last ones a moment before counting what was sent.
    const deadline = Date.now() + 5000;
    for (;;) {
      const c = server.counts();
      if ((c.closed >= opts.calls - res.stats.failed && c.open === 0) || Date.now() >= deadline) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const f = await server.collect();
    if (workers > 0) rssPeak = Math.max(rssPeak, f.rssBytes);
    // Average call length: ramp-up spreads the starts, so each call lasts seconds + the rest of the ramp-up.
    const callMinutes = (opts.calls * (opts.seconds + rampUpMs / 2000)) / 60;
    const providerErrors = f.providerErrors.reduce((n, v) => n + v.value, 0);
    const providerErrorsBy: Record<string, number> = {};
    for (const v of f.providerErrors) {
      const k = `${v.labels.provider}_${v.labels.kind}`;
      providerErrorsBy[k] = (providerErrorsBy[k] ?? 0) + v.value;
    }
    const endings = new Map(f.endings);
    const s = res.stats;
    let completed = 0;
    let failed = s.failed;
    const completedBy: Record<string, number> = {};
    for (const sid of s.serverClosed) {
      const e = endings.get(sid);
      if (e?.done && !e.providerFailure) {
        completed++;
        completedBy[e.outcome ?? 'none'] = (completedBy[e.outcome ?? 'none'] ?? 0) + 1;
      }
      else {
        failed++;
        if (s.errors.length < 20) s.errors.push(`${sid}: closed by server${e?.providerFailure ? ' after a provider failure' : ''}`);
      }
    }
    const lateness = Uint32Array.from(f.lateness);
    const gaps = s.greetingGapMs;
    return {
      core: opts.flow ? `flow:${relative(process.cwd(), opts.flow) || opts.flow}` : 'minimal',
      calls: opts.calls,
      seconds: opts.seconds,
      workers,
      database: database.url.startsWith('sqlite') ? 'sqlite' : 'postgres',
      turns: s.turns,
      failed,
      completed,
      completed_by: completedBy,
      redials: s.redials,
      // The flow really took answers: slots filled per call (the minimal core fills none).
      slots_filled: { p50: percentile([...endings.values()].map((e) => e.slots), 50), max: Math.max(0, ...[...endings.values()].map((e) => e.slots)) },
      overhead_ms: { p50: round1(percentile(f.overhead, 50)), p95: round1(percentile(f.overhead, 95)), p99: round1(percentile(f.overhead, 99)) },
      overhead_live_tts_ms: { p50: round1(percentile(f.overheadLive, 50)), p99: round1(percentile(f.overheadLive, 99)), n: f.overheadLive.length },
      greeting_ms: { p50: round1(percentile(s.greetingMs, 50)), p99: round1(percentile(s.greetingMs, 99)) },
      reply_server_ms: { p50: round1(percentile(f.replyServer, 50)), p99: round1(percentile(f.replyServer, 99)) },
      reply_ms: { p50: round1(percentile(s.replyMs, 50)), p99: round1(percentile(s.replyMs, 99)) },
      reply_after_final_ms: { p50: round1(percentile(s.replyAfterFinalMs, 50)), p95: round1(percentile(s.replyAfterFinalMs, 95)), p99: round1(percentile(s.replyAfterFinalMs, 99)), n: s.replyAfterFinalMs.length },
      greeting_gaps: { calls_over_100ms: gaps.filter((g) => g > 100).length, calls_measured: gaps.length, worst_gap_p99_ms: round1(percentile(gaps, 99)), worst_gap_max_ms: round1(Math.max(0, ...gaps)) },
      barge_ins: f.bargeIns,
      // Callers speak only after silence, so a barge-in the server counted without a caller talking over audio is spurious.
      spurious_barge_ins: Math.max(0, f.bargeIns - s.spokeOverAudio),
      caller_spoke_over_audio: s.spokeOverAudio,
      event_loop_delay_ms: { p50: round1(f.loopDelayMs.p50), p99: round1(f.loopDelayMs.p99), max: round1(f.loopDelayMs.max) },
      loadgen_event_loop_delay_ms: { p50: round1(s.loopDelayMs.p50), p99: round1(s.loopDelayMs.p99), max: round1(s.loopDelayMs.max) },
      idle_rss_mb: round1(idle / 1024 / 1024),
      jitter_ms: { p99: round1(percentileOf(lateness, f.framesSent, 99)) },
      dropped_frames: Math.max(0, f.framesSent - s.framesReceived),
      late_frames: f.lateFrames,
      cpu_ms_per_call_minute: round1(f.cpuMs / callMinutes),
      rss_kb_per_call: round1((rssPeak - rss0) / 1024 / opts.calls),
      loadgen_cpu_ms_per_call_minute: round1((res.cpuMs + fakeStats.cpuMs) / callMinutes),
      caller_processes: callers.length,
      fakes_cpu_ms_per_call_minute: round1(fakeStats.cpuMs / callMinutes),
      fakes_event_loop_delay_ms: { p50: round1(fakeStats.loopDelayMs.p50), p99: round1(fakeStats.loopDelayMs.p99), max: round1(fakeStats.loopDelayMs.max) },
      provider_sockets_left: fakeStats.openListens + fakeStats.speakOpen,
      provider_errors: providerErrors,
      provider_errors_by: providerErrorsBy,
      provider_delays_ms: { stt: opts.sttDelayMs, tts: opts.ttsDelayMs },
      speech_providers: { stt: opts.stt ?? 'deepgram', tts: opts.tts ?? 'deepgram' },
      ...(opts.turn && Object.keys(opts.turn).length ? { turn_overrides: opts.turn } : {}),
      ...(s.errors.length ? { errors: s.errors } : {}),
    } as BenchResult;
  } finally {
    await server?.close();
    await database?.drop();
    await Promise.all(children.map(endChild));
    rmSync(dir, { recursive: true, force: true });
  }
}
