import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('hermes accuracy', () => {
  it('prints per-type accuracy as JSON and exits 0 above the 97% target', async () => {
    const { stdout } = await run(process.execPath, ['bin/hermes.js', 'accuracy', '--json', '--no-latency'], { env: { ...process.env, LOG_LEVEL: 'silent' } });
    const report = JSON.parse(stdout) as { accuracy: number; total: number; byType: Record<string, { total: number }> };
    expect(report.total).toBeGreaterThanOrEqual(400);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.97);
    expect(Object.keys(report.byType)).toEqual(expect.arrayContaining(['phone', 'email', 'person_name', 'date', 'yes_no', 'enum']));
  });

  it('rejects a bad option with a clear message and exit code 2', async () => {
    const err = await run(process.execPath, ['bin/hermes.js', 'accuracy', '--deadline-ms', 'soon']).catch((e: unknown) => e as { code: number; stderr: string });
    expect(err).toMatchObject({ code: 2 });
    expect((err as { stderr: string }).stderr).toMatch(/--deadline-ms must be a positive number/);
  });
});
