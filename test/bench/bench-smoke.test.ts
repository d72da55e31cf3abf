// A short run of the real benchmark command: the contract is that `hermes bench --json` ends with one JSON object
// carrying the agreed keys, from calls that really talked (turns > 0) and hung up cleanly.
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

describe('hermes bench', () => {
  it('runs a few calls for a few seconds and ends its output with one JSON object of the agreed shape', async () => {
    const { stdout } = await run(process.execPath, ['bin/hermes.js', 'bench', '--calls', '3', '--seconds', '8', '--json'], { timeout: 60_000 });
    const last = stdout.trim().split('\n').at(-1)!;
    const r = JSON.parse(last);
    expect(Object.keys(r)).toEqual(expect.arrayContaining([
      'calls', 'turns', 'overhead_ms', 'greeting_ms', 'jitter_ms', 'dropped_frames', 'cpu_ms_per_call_minute', 'rss_kb_per_call',
    ]));
    expect(r.calls).toBe(3);
    expect(r.failed).toBe(0);
    expect(r.turns).toBeGreaterThanOrEqual(3);
    expect(Object.keys(r.overhead_ms)).toEqual(['p50', 'p95', 'p99']);
    expect(Object.keys(r.greeting_ms)).toEqual(['p50', 'p99']);
    expect(r.greeting_ms.p50).toBeGreaterThan(0);
    expect(r.dropped_frames).toBe(0);
    expect(r.provider_sockets_left).toBe(0);
    expect(r.cpu_ms_per_call_minute).toBeGreaterThan(0);
  });
});
