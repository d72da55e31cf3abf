// Short runs of the real benchmark command: the contract is that `hermes bench --json` ends with one JSON object
// carrying the agreed keys, from calls that really talked (turns > 0) and hung up cleanly. By default the calls run the
// bundled intake flow on the real flow engine, and the callers' answers must be understood (slots get filled).
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

async function bench(args: string[]): Promise<Record<string, any>> { // any: parsed JSON checked key by key below
  const { stdout } = await run(process.execPath, ['bin/hermes.js', 'bench', ...args, '--json'], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!);
}

function expectContract(r: Record<string, any>, calls: number): void { // any: as above
  expect(Object.keys(r)).toEqual(expect.arrayContaining([
    'calls', 'turns', 'overhead_ms', 'greeting_ms', 'jitter_ms', 'dropped_frames', 'cpu_ms_per_call_minute', 'rss_kb_per_call',
    'reply_after_final_ms', 'greeting_gaps', 'spurious_barge_ins', 'event_loop_delay_ms', 'idle_rss_mb',
  ]));
  expect(r.calls).toBe(calls);
  expect(r.failed).toBe(0);
  expect(Object.keys(r.overhead_ms)).toEqual(['p50', 'p95', 'p99']);
  expect(Object.keys(r.greeting_ms)).toEqual(['p50', 'p99']);
  expect(r.greeting_ms.p50).toBeGreaterThan(0);
  expect(r.dropped_frames).toBe(0);
  expect(r.provider_sockets_left).toBe(0);
  expect(r.cpu_ms_per_call_minute).toBeGreaterThan(0);
}

describe('hermes bench', () => {
  // A busy machine starts a benchmark slowly (two processes, tsx): more than the default 30 s per test.
  it('runs the bundled intake flow by default, and the callers answer its questions so slots get filled', { timeout: 90_000 }, async () => {
    // A fast speaking rate and short caller pauses so that a few seconds hold several questions and answers.
    const r = await bench(['--calls', '2', '--seconds', '10', '--tts-ms-per-char', '5', '--caller-silence', '300']);
    expectContract(r, 2);
    expect(r.core).toBe('flow:flows/intake.yaml');
    expect(r.turns).toBeGreaterThanOrEqual(4);
    expect(r.slots_filled.p50).toBeGreaterThanOrEqual(2);
  });

  it('runs the minimal core with --core minimal and ends its output with one JSON object of the agreed shape', { timeout: 90_000 }, async () => {
    const r = await bench(['--core', 'minimal', '--calls', '3', '--seconds', '8', '--caller-silence', '300']);
    expectContract(r, 3);
    expect(r.core).toBe('minimal');
    expect(r.turns).toBeGreaterThanOrEqual(3);
    expect(r.slots_filled.max).toBe(0);
  });

  it('spreads the callers over --caller-processes, runs the fakes in a process of their own, and writes --profile-dir profiles', { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hermes-bench-prof-'));
    try {
      const r = await bench(['--core', 'minimal', '--calls', '3', '--seconds', '6', '--tts-ms-per-char', '5', '--caller-silence', '300', '--caller-processes', '2', '--profile-dir', dir]);
      expectContract(r, 3);
      expect(r.caller_processes).toBe(2);
      // Calls of both caller processes talked (3 calls over 2 processes: 2 + 1), and replies were timed from speech_final
      // sent in the fakes' process.
      expect(r.turns).toBeGreaterThanOrEqual(3);
      expect(r.reply_after_final_ms.n).toBeGreaterThanOrEqual(3);
      expect(r.reply_after_final_ms.p50).toBeGreaterThan(0);
      expect(r.reply_after_final_ms.p50).toBeLessThan(2000);
      expect(r.fakes_cpu_ms_per_call_minute).toBeGreaterThan(0);
      expect(Object.keys(r.fakes_event_loop_delay_ms)).toEqual(['p50', 'p99', 'max']);
      expect(readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))).toHaveLength(1);
      // The harness's own processes (two caller processes, the fakes) are profiled beside, in a subfolder.
      expect(readdirSync(join(dir, 'harness')).filter((f) => f.endsWith('.cpuprofile'))).toHaveLength(3);
      const { stdout } = await run(process.execPath, ['scripts/profile-top.mjs', dir, '--top', '5'], { timeout: 30_000 });
      expect(stdout).toMatch(/^1 profile\(s\): .* busy/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an unknown --core with a clear error', async () => {
    await expect(run(process.execPath, ['bin/hermes.js', 'bench', '--core', 'fancy'], { timeout: 30_000 })).rejects.toThrow(/only "minimal"/);
  });
});
