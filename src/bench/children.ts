// The benchmark's child processes (the fake providers, fakes-process.ts, and the caller processes, loadgen.ts): forking
// them with the flags their module needs, waiting for a message of one type, and merging the callers' figures.
import { fork, type ChildProcess } from 'node:child_process';
import { siblingModule } from '../paths.js';
import type { CallerStats } from './loadgen.js';

/** Forks a sibling module of this one and resolves once its message handler is in place (its `hello`). */
export async function forkChild(baseName: 'fakes-process' | 'loadgen'): Promise<ChildProcess> {
  // The children run as compiled JavaScript from a build and through tsx from the sources, like this module.
  const mod = siblingModule(import.meta.url, baseName);
  const child = fork(mod.path, [], { execArgv: mod.execArgv, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  await waitFor(child, 'hello');
  return child;
}

export function waitFor<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMsg = (m: { type: string }) => {
      if (m.type === type) {
        child.off('message', onMsg);
        child.off('exit', onExit);
        resolve(m as T);
      }
    };
    const onExit = (code: number | null) => reject(new Error(`benchmark child exited (${code}) before "${type}"`));
    child.on('message', onMsg);
    child.once('exit', onExit);
  });
}

/** Asks a child to exit and waits for it (at most 10 s, then it is killed). */
export async function endChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  if (child.connected) child.send({ type: 'exit' });
  const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(t);
}

/** One set of caller figures from several caller processes: lists and counts add up, the loop delay is the worst. */
export function mergeCallerStats(all: CallerStats[]): CallerStats {
  const m = all[0]!;
  for (const s of all.slice(1)) {
    m.greetingMs.push(...s.greetingMs);
    m.replyMs.push(...s.replyMs);
    m.replyAfterFinalMs.push(...s.replyAfterFinalMs);
    m.turns += s.turns;
    m.failed += s.failed;
    m.serverClosed.push(...s.serverClosed);
    m.redials += s.redials;
    m.framesReceived += s.framesReceived;
    m.greetingGapMs.push(...s.greetingGapMs);
    m.spokeOverAudio += s.spokeOverAudio;
    m.loopDelayMs = {
      p50: Math.max(m.loopDelayMs.p50, s.loopDelayMs.p50), p99: Math.max(m.loopDelayMs.p99, s.loopDelayMs.p99), max: Math.max(m.loopDelayMs.max, s.loopDelayMs.max),
    };
    m.errors.push(...s.errors);
  }
  m.errors = m.errors.slice(0, 20);
  return m;
}
