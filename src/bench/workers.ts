// `hermes bench --workers N`: the benchmark's server as N node:cluster workers sharing one port, as `hermes serve
// --workers N` runs it (any worker takes any webhook or stream; one SQLite file in WAL mode; the prompt cache on disk
// warmed once, by the first worker, before the others start and read it). The primary only forks, relays and merges:
// each worker measures itself (server.ts) and hands its figures over IPC.
import cluster, { type Worker } from 'node:cluster';
import { siblingModule } from '../paths.js';
import type { BenchServer, BenchServerOptions, ServerFigures } from './server.js';

type Reply = { type: 'hello' } | { type: 'ready'; port: number } | { type: 'counts'; closed: number; open: number; rssBytes: number } | { type: 'figures'; figures: ServerFigures } | { type: 'closed' };

function ask<T extends Reply['type']>(w: Worker, msg: { type: string }, want: T): Promise<Extract<Reply, { type: T }>> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: Reply) => {
      if (m.type !== want) return;
      w.off('message', onMsg);
      w.off('exit', onExit);
      resolve(m as Extract<Reply, { type: T }>);
    };
    const onExit = (code: number) => reject(new Error(`bench worker exited (${code}) before "${want}"`));
    w.on('message', onMsg);
    w.once('exit', onExit);
    w.send(msg);
  });
}

/** N workers behind one port; the returned BenchServer merges their figures. */
export async function startBenchWorkers(n: number, o: BenchServerOptions): Promise<BenchServer> {
  const mod = siblingModule(import.meta.url, 'worker');
  cluster.setupPrimary({ exec: mod.path, execArgv: mod.execArgv, silent: false });
  const workers: Worker[] = [];
  const fork = async (port: 0) => {
    const w = cluster.fork();
    workers.push(w);
    // A message sent before the worker has loaded its handler would be lost: wait for its hello first.
    await new Promise<void>((resolve, reject) => {
      w.once('message', () => resolve());
      w.once('exit', (code) => reject(new Error(`bench worker exited (${code}) before it started`)));
    });
    return (await ask(w, { type: 'start', options: { ...o, port } } as { type: string }, 'ready')).port;
  };
  // The first worker warms the prompt cache on disk; the others then read it instead of calling the provider.
  // listen(0) in every worker: the primary keys shared handles by address and port, so they all get its one port.
  const port = await fork(0);
  const others = await Promise.all(Array.from({ length: n - 1 }, () => fork(0)));
  if (others.some((p) => p !== port)) throw new Error('bench workers did not share one port');
  let counts = { closed: 0, open: 0, rssBytes: 0 };
  // One question in flight at a time: a busy worker answers late, and stacked questions would pile up listeners.
  let asking = false;
  const refresh = () => {
    if (asking) return;
    asking = true;
    void Promise.all(workers.map((w) => ask(w, { type: 'counts' }, 'counts'))).then((all) => {
      counts = { closed: all.reduce((s, c) => s + c.closed, 0), open: all.reduce((s, c) => s + c.open, 0), rssBytes: all.reduce((s, c) => s + c.rssBytes, 0) };
    }, () => undefined).finally(() => {
      asking = false;
    });
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    begin: () => {
      for (const w of workers) w.send({ type: 'begin' });
    },
    counts: () => {
      refresh();
      return counts;
    },
    async collect() {
      return mergeFigures(await Promise.all(workers.map(async (w) => (await ask(w, { type: 'collect' }, 'figures')).figures)));
    },
    async close() {
      await Promise.all(workers.map((w) => ask(w, { type: 'close' }, 'closed').catch(() => undefined)));
      await Promise.all(workers.map((w) => (w.isDead() ? Promise.resolve() : new Promise((r) => w.once('exit', r)))));
    },
  };
}

/** One set of figures from many workers: lists and counts add up, the event-loop delay is the worst worker's. */
export function mergeFigures(all: ServerFigures[]): ServerFigures {
  const m = all[0]!;
  for (const f of all.slice(1)) {
    m.overhead.push(...f.overhead);
    m.overheadLive.push(...f.overheadLive);
    m.replyServer.push(...f.replyServer);
    m.lateness = m.lateness.map((v, i) => v + (f.lateness[i] ?? 0));
    m.framesSent += f.framesSent;
    m.lateFrames += f.lateFrames;
    m.closed += f.closed;
    m.bargeIns += f.bargeIns;
    m.providerErrors.push(...f.providerErrors);
    m.endings.push(...f.endings);
    m.sessionsOpen += f.sessionsOpen;
    m.cpuMs += f.cpuMs;
    m.rssBytes += f.rssBytes;
    m.loopDelayMs = {
      p50: Math.max(m.loopDelayMs.p50, f.loopDelayMs.p50), p99: Math.max(m.loopDelayMs.p99, f.loopDelayMs.p99), max: Math.max(m.loopDelayMs.max, f.loopDelayMs.max),
    };
  }
  return m;
}
