// Logs as a person and a collector read them: pretty lines on a terminal (LOG_FORMAT=auto), JSON lines otherwise, and
// no request lines at info for the probes (/health, /ready, /metrics) that Docker, nginx and Prometheus send every
// few seconds, while an ordinary request is still logged.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger, wantsPretty } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

const sink = (lines: string[]) => new Writable({ write(chunk, _enc, cb) { lines.push(...String(chunk).split('\n').filter(Boolean)); cb(); } });

describe('log format', () => {
  it('is pretty on a terminal and JSON otherwise when LOG_FORMAT is auto; pretty and json force one', () => {
    expect(wantsPretty('auto', true)).toBe(true);
    expect(wantsPretty('auto', false)).toBe(false);
    expect(wantsPretty('pretty', false)).toBe(true);
    expect(wantsPretty('json', true)).toBe(false);
    expect(loadConfig({}).logFormat).toBe('auto');
    expect(() => loadConfig({ LOG_FORMAT: 'fancy' })).toThrow(/LOG_FORMAT: expected one of auto, pretty, json/);
  });

  it('writes one JSON object per line, or a readable line with the level and message, both redacted', () => {
    const json: string[] = [];
    createLogger('info', sink(json), 'json').info({ callSid: 'CA1', phone: '+13125550100' }, 'call started');
    const line = JSON.parse(json[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, msg: 'call started', callSid: 'CA1', phone: '[redacted]' });

    const pretty: string[] = [];
    createLogger('info', sink(pretty), 'pretty').info({ callSid: 'CA1', phone: '+13125550100' }, 'call started');
    const text = pretty.join('\n');
    expect(text).toMatch(/INFO.*call started/);
    expect(text).toContain('callSid: "CA1"');
    expect(text).not.toContain('+13125550100');
    expect(() => JSON.parse(pretty[0]!)).toThrow();
  });
});

describe('request logging', () => {
  let tdb: TestDb;
  const lines: string[] = [];
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    tdb = await createTestDb('sqlite');
    const config = loadConfig({}, { databaseUrl: tdb.url });
    app = await buildApp({ config, log: createLogger('info', sink(lines)), metrics: createMetrics({ defaultMetrics: false }), db: tdb.db });
  });
  afterAll(async () => {
    await app?.close();
    await tdb?.destroy();
  });

  it('leaves /health, /ready and /metrics out at info and logs other requests', async () => {
    for (const url of ['/health', '/ready', '/metrics']) expect((await app.inject({ url, remoteAddress: '127.0.0.1' })).statusCode).toBeLessThan(500);
    expect(lines.filter((l) => /"url":"\/(health|ready|metrics)"|"\/(health|ready|metrics)"/.test(l))).toEqual([]);
    await app.inject({ url: '/api/calls' });
    expect(lines.some((l) => l.includes('/api/calls'))).toBe(true);
  });
});
