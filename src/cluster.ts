// `hermes serve --workers N`: every core of one machine. The primary process runs no calls: it does the once-only work
// (migrations, warming the prompt cache on disk for the default flow), then forks N node:cluster workers that each run
// the ordinary server on the same port (the primary hands out connections round-robin), restarts a worker that dies,
// and passes SIGTERM/SIGINT on so every worker shuts down (or drains) its own calls. Any worker takes any webhook or
// media stream: what a call needs across its requests is in the database (call row, stream token check) or signed.
// Never imported by a worker's call path; serve.ts decides which role this process plays.
import cluster, { type Worker } from 'node:cluster';
import { availableParallelism } from 'node:os';
import type { Logger } from './observability/logger.js';

/** Set in a worker's environment: its number (1..N), so once-per-machine duties (the outbox worker) run in one. */
export const WORKER_ID_ENV = 'HERMES_CLUSTER_WORKER';

/** Workers when --workers is not given: one per core. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** This process is a worker forked by runPrimary (its number), or null for a stand-alone or primary process. */
export function clusterWorkerId(env: NodeJS.ProcessEnv = process.env): number | null {
  if (cluster.isPrimary) return null;
  const n = Number(env[WORKER_ID_ENV]);
  return Number.isInteger(n) && n > 0 ? n : null;
}

export interface PrimaryOptions {
  workers: number;
  log: Logger;
  /** Once-only work before the first fork (migrations, prompt cache warm-up); a failure stops the start. */
  prepare?: () => Promise<void>;
  /** A worker that dies this soon after its start counts as a crash loop: the primary gives up instead of respawning. */
  minUptimeMs?: number;
}

/**
 * Runs the primary: prepare, fork, keep N workers alive, forward signals. Resolves when every worker has exited after
 * a signal (the caller then exits).
 */
export async function runPrimary(o: PrimaryOptions): Promise<void> {
  await o.prepare?.();
  const minUptimeMs = o.minUptimeMs ?? 5000;
  let stopping = false;
  const started = new Map<Worker, { id: number; at: number }>();
  const fork = (id: number) => {
    const w = cluster.fork({ [WORKER_ID_ENV]: String(id) });
    started.set(w, { id, at: Date.now() });
  };
  for (let i = 1; i <= o.workers; i++) fork(i);
  o.log.info({ workers: o.workers }, 'cluster started');
  return new Promise<void>((resolve) => {
    cluster.on('exit', (w, code, signal) => {
      const s = started.get(w);
      started.delete(w);
      if (stopping) {
        if (started.size === 0) resolve();
        return;
      }
      if (!s) return;
      const uptime = Date.now() - s.at;
      o.log.error({ worker: s.id, code, signal, uptimeMs: uptime }, 'worker exited');
      if (uptime < minUptimeMs) {
        // A worker that cannot stay up (bad config, port taken) would respawn forever: stop the whole server instead.
        o.log.error({ worker: s.id }, 'worker crash loop: stopping the cluster');
        stop('crash loop');
        return;
      }
      fork(s.id);
    });
    const stop = (why: string) => {
      if (stopping) return;
      stopping = true;
      o.log.info({ why, workers: started.size }, 'cluster stopping');
      if (started.size === 0) return resolve();
      // Each worker handles the signal itself (closes its listener, ends or drains its calls), as a lone server would.
      for (const w of started.keys()) w.process.kill('SIGTERM');
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
