// `hermes serve --workers 2` for real (bin/hermes.js, PostgreSQL): the primary migrates and warms the prompt cache
// once, two workers share the port, and calls whose webhook and media stream land on either worker are all admitted
// and greeted (the stream token check needs nothing from the worker that answered the webhook). SIGTERM to the primary
// stops every worker. With SQLite, several workers are refused (one process's lock wait would stall another's calls).
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, POSTGRES_UNAVAILABLE, type TestDb } from '../helpers/db.js';
import { freePort } from '../helpers/serve.js';
import { startFakeDeepgram, type FakeDeepgram } from '../../src/bench/fakes/deepgram-server.js';
import { FakeTwilioCaller, newCallSid, signedForm } from '../fakes/twilio-caller.js';

const PUBLIC_URL = 'https://hermes.example.com';
const ACCOUNT_SID = `AC${'d'.repeat(32)}`;
const AUTH_TOKEN = 'workers-test-auth-token';
const CALLS = 12;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Node child processes of `pid` (tsx's esbuild helper is a child too, and not a worker). */
function children(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=,comm=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n')
      .map((l) => l.trim().split(/\s+/)).filter(([, comm]) => comm === 'node').map(([p]) => Number(p));
  } catch {
    return []; // ps exits 1 when there are none
  }
}

describe('hermes serve --workers with SQLite', () => {
  it('refuses several workers with a message naming PostgreSQL', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hermes-workers-'));
    try {
      const r = spawnSync(process.execPath, ['bin/hermes.js', 'serve', '--workers', '2', '--port', '0'], {
        env: { ...process.env, PUBLIC_URL, TWILIO_AUTH_TOKEN: AUTH_TOKEN, DATABASE_URL: `sqlite://${join(dir, 'h.sqlite')}`, LOG_LEVEL: 'warn' },
        encoding: 'utf8', timeout: 60_000,
      });
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('several workers need PostgreSQL');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe.skipIf(POSTGRES_UNAVAILABLE)('hermes serve --workers 2 (PostgreSQL)', () => {
  let deepgram: FakeDeepgram;
  let pg: TestDb;
  let dir: string;
  let child: ChildProcess;
  let out = '';
  const port = freePort();

  beforeAll(async () => {
    deepgram = await startFakeDeepgram({ speak: { msPerChar: 4 } });
    dir = mkdtempSync(join(tmpdir(), 'hermes-workers-'));
    pg = await createTestDb('postgres', { migrate: false });
    child = spawn(process.execPath, ['bin/hermes.js', 'serve', '--workers', '2'], {
      env: {
        ...process.env, HOST: '127.0.0.1', PORT: String(await port), PUBLIC_URL, TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        DEEPGRAM_API_KEY: deepgram.apiKey, DEEPGRAM_BASE_URL: deepgram.url, OPENAI_API_KEY: '', DATABASE_URL: pg.url,
        DEFAULT_FLOW: resolve('test/intake/fixtures/crash-flow.yaml'), PROMPT_CACHE_DIR: join(dir, 'prompts'), LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (c) => (out = (out + String(c)).slice(-20_000)));
    child.stderr!.on('data', (c) => (out = (out + String(c)).slice(-20_000)));
  });
  afterAll(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await deepgram?.close();
    await pg?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('warms prompts once, takes calls on both workers, and stops them all on SIGTERM', { timeout: 180_000 }, async () => {
    const p = await port;
    const deadline = Date.now() + 120_000;
    while (!(await fetch(`http://127.0.0.1:${p}/health`).then((r) => r.ok, () => false))) {
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`serve --workers 2 did not come up: ${out.slice(-2000)}`);
      await sleep(200);
    }
    expect(children(child.pid!)).toHaveLength(2);
    // The primary synthesized every prompt; the workers read them from disk (no synthesis of their own).
    const synthesizedBefore = deepgram.speak.restRequests;
    expect(readdirSync(join(dir, 'prompts')).filter((f) => f.endsWith('.ulaw')).length).toBeGreaterThan(0);

    const callers = await Promise.all(Array.from({ length: CALLS }, async () => {
      const callSid = newCallSid();
      const f = signedForm(AUTH_TOKEN, `${PUBLIC_URL}/twilio/voice`, { CallSid: callSid, AccountSid: ACCOUNT_SID, From: '+13125550123', To: '+13125550100', CallStatus: 'ringing', Direction: 'inbound' });
      // A fresh connection per request, so the primary's round-robin spreads webhooks and streams over the workers.
      const res = await fetch(`http://127.0.0.1:${p}/twilio/voice`, { method: 'POST', headers: { ...f.headers, connection: 'close' }, body: f.body });
      const twiml = await res.text();
      expect(res.status, twiml).toBe(200);
      const params: Record<string, string> = {};
      for (const m of twiml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)) params[m[1]!] = m[2]!.replace(/&amp;/g, '&');
      const caller = new FakeTwilioCaller({ serverUrl: `ws://127.0.0.1:${p}`, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid, params });
      await caller.connect();
      await caller.waitFor(() => caller.frames.length > 0, 30_000, 'the greeting');
      return caller;
    }));
    expect(callers.every((c) => c.frames.length > 0 && c.open)).toBe(true);
    expect(deepgram.speak.restRequests).toBe(synthesizedBefore);
    const rows = (await pg.db('calls').count({ n: '*' })) as { n: number | string }[];
    expect(Number(rows[0]!.n)).toBe(CALLS);
    for (const c of callers) await c.close();
    const workers = children(child.pid!);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await sleep(200);
    for (const w of workers) expect(() => process.kill(w, 0)).toThrow();
  });
});
