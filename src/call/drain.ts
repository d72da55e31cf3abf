// Zero-downtime deploys: on SIGTERM an instance stops taking new calls (readiness 503; new webhooks and media
// upgrades answered 503, which nginx passes on to another instance), lets live calls finish for a grace period, then
// hands the rest over through the resume path: each session stores its snapshot and closes its stream without ending
// the call, so Twilio's <Connect action> reaches another instance, which carries the call on (resume.ts).
import type { Logger } from '../observability/logger.js';
import type { CallRuntime } from './runtime.js';

export interface DrainResult {
  /** Calls that ended by themselves within the grace period. */
  finished: number;
  /** Calls handed to another instance. */
  handedOver: number;
  ms: number;
}

export async function drainCalls(runtime: CallRuntime, o: { graceMs: number; log: Logger; pollMs?: number }): Promise<DrainResult> {
  const started = Date.now();
  runtime.draining = true;
  const live = runtime.sessions.size;
  o.log.info({ live, graceMs: o.graceMs }, 'draining: no new calls; live calls get the grace period');
  const deadline = started + o.graceMs;
  while (runtime.sessions.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, o.pollMs ?? 100));
  const finished = Math.max(0, live - runtime.sessions.size);
  const handedOver = await runtime.suspendAll('instance draining: call handed over');
  runtime.deps.metrics.callsHandedOver.inc(handedOver);
  const ms = Date.now() - started;
  o.log.info({ finished, handedOver, ms }, 'drained');
  return { finished, handedOver, ms };
}
