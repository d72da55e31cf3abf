// The benchmark's HERMES server: the real app and services with silent logs on a SQLite file, whose observers collect
// the server-side figures (overhead per turn, frames, barge-ins, how each conversation ended). Runs in the benchmark
// process (one server) or once per cluster worker (--workers, see workers.ts); either way collect() returns plain
// data that can cross IPC, and the caller merges it.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { loadConfig, type SpeechProviderName } from '../config.js';
import { buildApp } from '../app.js';
import { createDb } from '../db/knex.js';
import { createMetrics } from '../observability/metrics.js';
import { silentLogger } from '../observability/logger.js';
import { createOfflineReasoner } from '../reasoning/index.js';
import { createServices } from '../services.js';
import { LATENESS_HISTOGRAM_SIZE, mergeHistogram } from '../audio/pacer.js';
import { createConversation } from '../flows/index.js';
import type { ConversationCore } from '../flows/core.js';
import type { TurnSettings } from '../call/turn-settings.js';
import { BenchCore, benchFlow } from './core.js';
import { startCpuProfile } from './profile.js';
import { LOOP_RESOLUTION_MS, loopDelay } from './stats.js';

export const BENCH_ACCOUNT_SID = `AC${'b'.repeat(32)}`;
export const BENCH_AUTH_TOKEN = 'bench-auth-token';
export const BENCH_PUBLIC_URL = 'https://bench.hermes.invalid';

export interface BenchServerOptions {
  flow: string | null;
  dynamicEvery: number;
  /** sqlite://<file> or postgres://... (see database.ts). */
  dbUrl: string;
  promptDir: string;
  deepgramUrl: string;
  apiKey: string;
  openaiAudioUrl: string | null;
  stt: SpeechProviderName;
  tts: SpeechProviderName;
  turn?: Partial<TurnSettings>;
  /** Listen on this port (0 = any; cluster workers calling listen(0) share the primary's one port). */
  port: number;
  /** Write a V8 CPU profile of this process over the measured window (begin -> collect) into this folder. */
  profileDir?: string;
}

export interface Ending {
  done: boolean;
  providerFailure: boolean;
  slots: number;
  outcome: string | null;
}

/** What one server measured, as plain data (crosses IPC from a worker). */
export interface ServerFigures {
  overhead: number[];
  overheadLive: number[];
  replyServer: number[];
  lateness: number[];
  framesSent: number;
  lateFrames: number;
  closed: number;
  bargeIns: number;
  providerErrors: { labels: Record<string, string | number>; value: number }[];
  endings: [string, Ending][];
  sessionsOpen: number;
  /** Event-loop delay of this server's process during the run (perf_hooks), ms. */
  loopDelayMs: { p50: number; p99: number; max: number };
  cpuMs: number;
  rssBytes: number;
}

export interface BenchServer {
  url: string;
  port: number;
  /** Starts the measurement window (event-loop delay, CPU). */
  begin(): void;
  /** Sessions closed so far and still open (the run waits for the last hang-ups to land), and resident memory now. */
  counts(): { closed: number; open: number; rssBytes: number };
  collect(): Promise<ServerFigures>;
  close(): Promise<void>;
}

export async function startBenchServer(o: BenchServerOptions): Promise<BenchServer> {
  const db = createDb(o.dbUrl);
  const config = loadConfig({}, {
    publicUrl: BENCH_PUBLIC_URL, twilioAuthToken: BENCH_AUTH_TOKEN, twilioAccountSid: null, deepgramApiKey: o.apiKey, deepgramBaseUrl: o.deepgramUrl,
    databaseUrl: o.dbUrl, defaultFlow: o.flow ?? 'bench', promptCacheDir: o.promptDir, logLevel: 'silent',
    openaiApiKey: null,
    sttProvider: o.stt, ttsProvider: o.tts,
    openaiSttBaseUrl: o.openaiAudioUrl, openaiTtsBaseUrl: o.openaiAudioUrl,
  });
  const log = silentLogger();
  const metrics = createMetrics({ defaultMetrics: false });
  const f: ServerFigures = {
    overhead: [], overheadLive: [], replyServer: [], lateness: [], framesSent: 0, lateFrames: 0, closed: 0, bargeIns: 0, providerErrors: [], endings: [],
    sessionsOpen: 0, loopDelayMs: { p50: 0, p99: 0, max: 0 }, cpuMs: 0, rssBytes: 0,
  };
  const lateness = new Uint32Array(LATENESS_HISTOGRAM_SIZE);
  // How each conversation ended, so a call the server closed counts as failed only if the flow did not finish it.
  const endings = new Map<string, Ending>();
  const track = (callSid: string, core: ConversationCore): ConversationCore => {
    const e: Ending = { done: false, providerFailure: false, slots: 0, outcome: null };
    endings.set(callSid, e);
    return {
      start: () => core.start(),
      async handle(ev) {
        if (ev.type === 'providerFailure') e.providerFailure = true;
        const out = await core.handle(ev);
        e.done = core.done;
        e.outcome = core.outcome;
        if (o.flow) e.slots = Object.values(core.slots()).filter((v) => v !== null && v !== undefined && v !== '').length;
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
    ...(o.turn ? { turn: o.turn } : {}),
    ...(o.flow
      ? { conversation: (flow, facts) => track(facts.callSid, createConversation(flow, facts, { reasoner })) }
      : { loadFlow: async () => benchFlow(), conversation: (_flow, facts) => track(facts.callSid, new BenchCore(facts, o.dynamicEvery)) }),
    observer: {
      agentTurn(m) {
        if (m.greeting) return;
        const ovh = Math.max(0, m.firstFrameMs - m.providerWaitMs);
        f.overhead.push(ovh);
        f.replyServer.push(m.firstFrameMs);
        if (!m.cached) f.overheadLive.push(ovh);
      },
      sessionClosed(_sid, s) {
        f.closed++;
        f.framesSent += s.framesSent;
        f.lateFrames += s.lateFrames;
        mergeHistogram(lateness, s.lateness);
      },
    },
  });
  await services.warmPrompts(await services.callRuntime.deps.flows.get(config.defaultFlow));
  const app = await buildApp({ config, log, metrics, db, callRuntime: services.callRuntime });
  await app.listen({ port: o.port, host: '127.0.0.1' });
  const port = (app.server.address() as AddressInfo).port;
  const loop = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  let cpu0 = process.cpuUsage();
  let profile: Promise<(() => Promise<string>) | null> = Promise.resolve(null);
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    begin() {
      if (o.profileDir) profile = startCpuProfile(o.profileDir, `server-${process.pid}`);
      loop.enable();
      cpu0 = process.cpuUsage();
    },
    counts: () => ({ closed: f.closed, open: services.callRuntime.sessions.size, rssBytes: process.memoryUsage.rss() }),
    async collect() {
      loop.disable();
      const cpu = process.cpuUsage(cpu0);
      await (await profile)?.();
      profile = Promise.resolve(null);
      f.cpuMs = (cpu.user + cpu.system) / 1000;
      f.rssBytes = process.memoryUsage.rss();
      f.loopDelayMs = loopDelay(loop);
      f.lateness = [...lateness];
      f.endings = [...endings];
      f.sessionsOpen = services.callRuntime.sessions.size;
      f.bargeIns = (await metrics.bargeIns.get()).values.reduce((n, v) => n + v.value, 0);
      f.providerErrors = (await metrics.providerErrors.get()).values.map((v) => ({ labels: { ...v.labels } as Record<string, string | number>, value: v.value }));
      return f;
    },
    async close() {
      await app.close();
      await services.close();
      await db.destroy();
    },
  };
}
