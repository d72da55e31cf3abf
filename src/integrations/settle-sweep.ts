// The periodic settle of interrupted calls, run by every serving instance: once at start (a restart after kill -9
// finds the calls the dead process left in progress) and then every INTERRUPTED_SWEEP_MS. Safe on several instances
// at once: the settler claims each call and intake with a conditional write. Never overlaps itself.
import type { CallSettler, SweepResult } from '../intake/settle.js';
import type { Logger } from '../observability/logger.js';
import type { Clock } from './clock.js';

export interface SettleSweep {
  /** One sweep now (calls whose session was not seen for `afterMs`, and the intakes they left open). */
  runOnce(): Promise<SweepResult>;
  /** Sweeps at once and then every `everyMs` until stop(). */
  start(): void;
  /** Stops the timer and waits for a sweep in progress. */
  stop(): Promise<void>;
}

export interface SettleSweepOptions {
  settler: CallSettler;
  log: Logger;
  clock: Clock;
  everyMs: number;
  afterMs: number;
  /** CallSids this instance holds live sessions for: never settled by its own sweep, whatever their heartbeat says. */
  holding?: () => readonly string[];
}

export function createSettleSweep(o: SettleSweepOptions): SettleSweep {
  const log = o.log.child({ component: 'settle' });
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> = Promise.resolve();
  let stopped = true;

  async function runOnce(): Promise<SweepResult> {
    const total: SweepResult = { calls: 0, intakes: 0 };
    // Batches of 200 until a batch comes back short: a restart after a crash with many calls settles them all now.
    for (let round = 0; round < 50; round++) {
      const r = await o.settler.sweep(new Date(o.clock.now().getTime() - o.afterMs), 200, o.holding?.() ?? []);
      total.calls += r.calls;
      total.intakes += r.intakes;
      if (r.calls < 200 && r.intakes < 200) break;
    }
    if (total.calls > 0 || total.intakes > 0) log.info({ calls: total.calls, intakes: total.intakes }, 'interrupted calls settled');
    return total;
  }

  function tick(): void {
    running = runOnce()
      // The database may be briefly unreachable: the next tick tries again.
      .catch((err: Error) => log.warn({ err: err.message }, 'settle sweep failed'))
      .finally(() => {
        if (!stopped) timer = setTimeout(tick, o.everyMs).unref();
      });
  }

  return {
    runOnce,
    start() {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
