// Runs one benchmark: the HERMES server in this process (real app, real services, SQLite on disk, silent logs), the
// fake Deepgram and N simulated Twilio callers in a child process (src/bench/loadgen.ts) so that this process's CPU
// and memory are the server's own. Returns the measured figures; --ramp repeats it with growing N.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { AddressInfo } from 'node:net';
import { loadConfig, type SpeechProviderName } from '../config.js';
import { buildApp } from '../app.js';
import { createDb } from '../db/knex.js';
import { migrateLatest } from '../db/migrate.js';
import { createMetrics } from '../observability/metrics.js';
import { silentLogger } from '../observability/logger.js';
import { createOfflineReasoner } from '../reasoning/index.js';
import { createServices } from '../services.js';
import { LATENESS_HISTOGRAM_SIZE, mergeHistogram, percentileOf } from '../audio/pacer.js';
import { createConversation } from '../flows/index.js';
import { packagePath, siblingModule } from '../paths.js';
import type { ConversationCore } from '../flows/core.js';
import type { TurnSettings } from '../call/turn-settings.js';
import { BenchCore, benchFlow } from './core.js';
import { percentile, round1, type BenchResult } from './stats.js';
import type { CallerStats, LoadgenRun } from './loadgen.js';

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
  /** Who recognises and who speaks: the fake Deepgram, or the fake OpenAI-compatible audio server (on-premises path). */
  stt?: SpeechProviderName;
  tts?: SpeechProviderName;
  /** Turn settings that differ from the server's defaults (to measure e.g. larger STT chunks); none by default. */
  turn?: Partial<TurnSettings>;
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
  thinkMs: 300,
} as const satisfies BenchOptions;

const ACCOUNT_SID = `AC${'b'.repeat(32)}`;
const AUTH_TOKEN = 'bench-auth-token';
const PUBLIC_URL = 'https://bench.hermes.invalid';

function waitFor<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: { type: string }) => {
      if (m.type === type) {
        child.off('message', onMsg);
        child.off('exit', onExit);
        resolve(m as T);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`load generator exited (${code}) before "${type}"`));
    child.on('message', onMsg);
    child.once('exit', onExit);
  });
}

export async function runBench(opts: BenchOptions, progress: (line: string) => void = () => undefined): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'hermes-bench-'));
  // The generator runs as compiled JavaScript from a build and through tsx from the sources, like this module.
  const loadgen = siblingModule(import.meta.url, 'loadgen');
  const child = fork(loadgen.path, [], { execArgv: loadgen.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const db = createDb(`sqlite://${join(dir, 'bench.sqlite')}`);
  let app: Awaited<ReturnType<typeof buildApp>> | null = null;
  try {
    const onPrem = opts.stt === 'openai-compatible' || opts.tts === 'openai-compatible';
    child.send({ type: 'configure', sttDelayMs: opts.sttDelayMs, ttsDelayMs: opts.ttsDelayMs, ttsMsPerChar: opts.ttsMsPerChar, script: opts.flow ? 'intake' : 'minimal', openaiAudio: onPrem });
    const ready = await waitFor<{ deepgramUrl: string; apiKey: string; openaiAudioUrl: string | null }>(child, 'ready');
    await migrateLatest(db);
    const config = loadConfig({}, {
      publicUrl: PUBLIC_URL, twilioAuthToken: AUTH_TOKEN, twilioAccountSid: null, deepgramApiKey: ready.apiKey, deepgramBaseUrl: ready.deepgramUrl,
      databaseUrl: `sqlite://${join(dir, 'bench.sqlite')}`, defaultFlow: opts.flow ?? 'bench', promptCacheDir: join(dir, 'prompts'), logLevel: 'silent',
      openaiApiKey: null,
      sttProvider: opts.stt ?? 'deepgram', ttsProvider: opts.tts ?? 'deepgram',
      openaiSttBaseUrl: ready.openaiAudioUrl, openaiTtsBaseUrl: ready.openaiAudioUrl,
    });
    const log = silentLogger();
    const metrics = createMetrics({ defaultMetrics: false });
    const overhead: number[] = [];
    const overheadLive: number[] = [];
    const replyServer: number[] = [];
    const lateness = new Uint32Array(LATENESS_HISTOGRAM_SIZE);
    let framesSent = 0;
    let lateFrames = 0;
    let closed = 0;
    // How each conversation ended, so a call the server closed counts as failed only if the flow did not finish it.
    const endings = new Map<string, { done: boolean; providerFailure: boolean; slots: number; outcome: string | null }>();
    const track = (callSid: string, core: ConversationCore): ConversationCore => {
      const e = { done: false, providerFailure: false, slots: 0, outcome: null as string | null };
      endings.set(callSid, e);
      return {
        start: () => core.start(),
        async handle(ev) {
          if (ev.type === 'providerFailure') e.providerFailure = true;
          const out = await core.handle(ev);
          e.done = core.done;
          e.outcome = core.outcome;
          if (opts.flow) e.slots = Object.values(core.slots()).filter((v) => v !== null && v !== undefined && v !== '').length;
          return out;
        },
        get done() { return core.done; },
        get outcome() { return core.outcome; },
        slots: () => core.slots(),
        snapshot: () => core.snapshot(),
      };
    };
    const reasoner = createOfflineReasoner();
    const services = createServices({ config, log, metrics, db }, {
      reasoner,
      ...(opts.turn ? { turn: opts.turn } : {}),
      ...(opts.flow
        ? { conversation: (flow, facts) => track(facts.callSid, createConversation(flow, facts, { reasoner })) }
        : { loadFlow: async () => benchFlow(), conversation: (_flow, facts) => track(facts.callSid, new BenchCore(facts, opts.dynamicEvery)) }),
      observer: {
        agentTurn(m) {
          if (m.greeting) return;
          const o = Math.max(0, m.firstFrameMs - m.providerWaitMs);
          overhead.push(o);
          replyServer.push(m.firstFrameMs);
          if (!m.cached) overheadLive.push(o);
        },
        sessionClosed(_sid, s) {
          closed++;
          framesSent += s.framesSent;
          lateFrames += s.lateFrames;
          mergeHistogram(lateness, s.lateness);
        },
      },
    });
    await services.warmPrompts(await services.callRuntime.deps.flows.get(config.defaultFlow));
    app = await buildApp({ config, log, metrics, db, callRuntime: services.callRuntime });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const serverUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

    global.gc?.();
    const rss0 = process.memoryUsage.rss();
    let rssPeak = rss0;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, process.memoryUsage.rss());
    }, 250);
    const rampUpMs = opts.rampUpMs >= 0 ? opts.rampUpMs : Math.min(opts.calls * 5, opts.seconds * 300);
    const run: LoadgenRun = {
      serverUrl, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID, calls: opts.calls, seconds: opts.seconds,
      rampUpMs, speechMs: opts.speechMs, thinkMs: opts.thinkMs,
    };
    progress(`running ${opts.calls} calls for ${opts.seconds} s (ramp-up ${(rampUpMs / 1000).toFixed(1)} s)...`);
    const cpu0 = process.cpuUsage();
    child.send({ type: 'run', run });
    const res = await waitFor<{ stats: CallerStats; cpuMs: number; openListens: number; speakOpen: number }>(child, 'result');
    const cpu = process.cpuUsage(cpu0);
    clearInterval(sampler);
    // Sessions close as the hang-ups arrive; give the last ones a moment before counting what was sent.
    const deadline = Date.now() + 5000;
    while ((closed < opts.calls - res.stats.failed || services.callRuntime.sessions.size > 0) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    // Average call length: ramp-up spreads the starts, so each call lasts seconds + the rest of the ramp-up.
    const callMinutes = (opts.calls * (opts.seconds + rampUpMs / 2000)) / 60;
    const errorValues = (await metrics.providerErrors.get()).values;
    const providerErrors = errorValues.reduce((n, v) => n + v.value, 0);
    const providerErrorsBy = Object.fromEntries(errorValues.map((v) => [`${v.labels.provider}_${v.labels.kind}`, v.value]));
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
    return {
      core: opts.flow ? `flow:${relative(process.cwd(), opts.flow) || opts.flow}` : 'minimal',
      calls: opts.calls,
      seconds: opts.seconds,
      turns: s.turns,
      failed,
      completed,
      completed_by: completedBy,
      redials: s.redials,
      // The flow really took answers: slots filled per call (the minimal core fills none).
      slots_filled: { p50: percentile([...endings.values()].map((e) => e.slots), 50), max: Math.max(0, ...[...endings.values()].map((e) => e.slots)) },
      overhead_ms: { p50: round1(percentile(overhead, 50)), p95: round1(percentile(overhead, 95)), p99: round1(percentile(overhead, 99)) },
      overhead_live_tts_ms: { p50: round1(percentile(overheadLive, 50)), p99: round1(percentile(overheadLive, 99)), n: overheadLive.length },
      greeting_ms: { p50: round1(percentile(s.greetingMs, 50)), p99: round1(percentile(s.greetingMs, 99)) },
      reply_server_ms: { p50: round1(percentile(replyServer, 50)), p99: round1(percentile(replyServer, 99)) },
      reply_ms: { p50: round1(percentile(s.replyMs, 50)), p99: round1(percentile(s.replyMs, 99)) },
      jitter_ms: { p99: round1(percentileOf(lateness, framesSent, 99)) },
      dropped_frames: Math.max(0, framesSent - s.framesReceived),
      late_frames: lateFrames,
      cpu_ms_per_call_minute: round1((cpu.user + cpu.system) / 1000 / callMinutes),
      rss_kb_per_call: round1((rssPeak - rss0) / 1024 / opts.calls),
      loadgen_cpu_ms_per_call_minute: round1(res.cpuMs / callMinutes),
      provider_sockets_left: res.openListens + res.speakOpen,
      provider_errors: providerErrors,
      provider_errors_by: providerErrorsBy,
      provider_delays_ms: { stt: opts.sttDelayMs, tts: opts.ttsDelayMs },
      speech_providers: { stt: opts.stt ?? 'deepgram', tts: opts.tts ?? 'deepgram' },
      ...(opts.turn && Object.keys(opts.turn).length ? { turn_overrides: opts.turn } : {}),
      ...(s.errors.length ? { errors: s.errors } : {}),
    } as BenchResult;
  } finally {
    await app?.close();
    await db.destroy();
    child.send({ type: 'exit' });
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
