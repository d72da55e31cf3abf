// kill -9 of a real `hermes serve` (bin/hermes.js, SQLite on disk) with 50 live calls, then a restart: the new
// process settles every call the dead one left in progress (ended `interrupted`), every intake (partial,
// `interrupted`, every committed slot kept) and delivers each intake once to the firm's hook, within the bound.
// A fifth of the calls also get Twilio's final status callback after the restart (that path settles them too).
// Everything outside HERMES is a fake on loopback: Twilio callers over real media sockets, Deepgram, Twilio REST, Zapier.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../../src/db/knex.js';
import { INTERRUPTED_REASON } from '../../src/intake/settle.js';
import { startFakeDeepgram, type FakeDeepgram } from '../../src/bench/fakes/deepgram-server.js';
import { startFakeTwilioRest, type FakeTwilioRest } from '../fakes/twilio-rest.js';
import { FakeTwilioCaller, newCallSid, signedForm } from '../fakes/twilio-caller.js';
import { ZapierFake } from '../fakes/zapier-server.js';
import { fakesEnv, freePort, killAll, sleep, spawnServe, until, type ServeProcess } from '../helpers/serve.js';

const CALLS = 50;
const WITH_STATUS_CALLBACK = 10;
const PUBLIC_URL = 'https://hermes.example.com';
const ACCOUNT_SID = `AC${'c'.repeat(32)}`;
const AUTH_TOKEN = 'crash-test-auth-token';
/** Short settle settings so the test stays quick; the defaults (15 s, 60 s, 15 s) scale the same way. */
const SETTLE_ENV = { CALL_HEARTBEAT_MS: '1000', INTERRUPTED_AFTER_MS: '5000', INTERRUPTED_SWEEP_MS: '1000' };
/** The acceptance bound: everything settled and delivered within 2 minutes of the restart. */
const BOUND_MS = 120_000;

describe('kill -9 of hermes serve with 50 live calls, then a restart', () => {
  let deepgram: FakeDeepgram;
  let rest: FakeTwilioRest;
  // No trailing slash: settings URLs are normalised without one (Zapier accepts both).
  const zapier = new ZapierFake('/hooks/catch/123456/abcdef');
  let dir: string;
  let db: Db;
  let env: NodeJS.ProcessEnv;
  const servers: ServeProcess[] = [];
  const callers: FakeTwilioCaller[] = [];
  const phoneOf = new Map<string, string>();

  beforeAll(async () => {
    deepgram = await startFakeDeepgram({
      script: ({ key, utteranceIndex }) => (utteranceIndex === 0 ? 'Maria Lopez' : utteranceIndex === 1 ? phoneOf.get(key) : undefined),
      speak: { msPerChar: 4 },
    });
    rest = await startFakeTwilioRest(ACCOUNT_SID, AUTH_TOKEN);
    await zapier.start();
    dir = mkdtempSync(join(tmpdir(), 'hermes-crash-'));
    const databaseUrl = `sqlite://${join(dir, 'hermes.sqlite')}`;
    env = {
      ...fakesEnv({
        publicUrl: PUBLIC_URL, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, restUrl: rest.url, deepgram, databaseUrl,
        defaultFlow: resolve('test/intake/fixtures/crash-flow.yaml'), promptCacheDir: join(dir, 'prompts'),
      }),
      ZAPIER_HOOK_URL: zapier.hookUrl,
      LOG_LEVEL: 'warn',
      ...SETTLE_ENV,
    };
    db = createDb(databaseUrl);
  });

  afterAll(async () => {
    for (const c of callers) await c.close().catch(() => undefined);
    await killAll(servers);
    await db?.destroy();
    await deepgram?.close();
    await rest?.close();
    await zapier.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function startServer(): Promise<ServeProcess> {
    const s = spawnServe({ env, port: await freePort() });
    servers.push(s);
    await s.ready('/health', 120_000);
    return s;
  }

  async function post(s: ServeProcess, path: string, params: Record<string, string>): Promise<Response> {
    const f = signedForm(AUTH_TOKEN, `${PUBLIC_URL}${path}`, params);
    return fetch(`http://127.0.0.1:${s.port}${path}`, { method: 'POST', headers: f.headers, body: f.body });
  }

  /** A caller through the real voice webhook and media socket: answers the name and number prompts, then waits. */
  async function call(s: ServeProcess, i: number): Promise<void> {
    const callSid = newCallSid();
    phoneOf.set(callSid, `312 555 ${String(100 + i).padStart(4, '0')}`);
    const res = await post(s, '/twilio/voice', { CallSid: callSid, AccountSid: ACCOUNT_SID, From: '+13125550123', To: '+13125550100', CallStatus: 'ringing', Direction: 'inbound' });
    const twiml = await res.text();
    expect(res.status, twiml).toBe(200);
    const params: Record<string, string> = {};
    for (const m of twiml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)) params[m[1]!] = m[2]!.replace(/&amp;/g, '&');
    const caller = new FakeTwilioCaller({ serverUrl: `ws://127.0.0.1:${s.port}`, publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid, params });
    callers.push(caller);
    await caller.connect();
    // Like Twilio, media flows all the time (silence between answers) until the socket goes away.
    void (async () => {
      while (caller.open) await caller.silence(200);
    })();
    await caller.waitFor(() => caller.frames.length > 0, 30_000, 'the name prompt');
    for (let answer = 0; answer < 2; answer++) {
      const before = caller.frames.length;
      await sleep(300);
      await caller.speak(600);
      // The next prompt (the number, then the question nobody answers) follows the answer.
      await caller.waitFor(() => caller.frames.length > before, 30_000, `the prompt after answer ${answer + 1}`);
    }
  }

  type IntakeRow = { call_sid: string; status: string; outcome: string | null; slots: string; caller_name: string | null; callback_phone: string | null };

  it('settles every interrupted call and intake after the restart, keeps every committed slot and delivers each intake once', { timeout: 300_000 }, async () => {
    const first = await startServer();
    await Promise.all(Array.from({ length: CALLS }, (_, i) => sleep(i * 40).then(() => call(first, i))));
    // Both answers committed for every call: the name and the number are in the database.
    await until('every call to commit its name and number', 30_000, async () => {
      const n = (await db('intakes').whereNotNull('caller_name').whereNotNull('callback_phone').count({ c: '*' })) as { c: number }[];
      return Number(n[0]!.c) === CALLS;
    });
    const committed = new Map(((await db('intakes').select('call_sid', 'slots')) as IntakeRow[]).map((r) => [r.call_sid, JSON.parse(r.slots) as Record<string, unknown>]));
    expect(committed.size).toBe(CALLS);
    const live = (await db('calls').where({ status: 'in-progress' }).whereNull('outcome').select('started_at', 'last_seen_at')) as { started_at: number; last_seen_at: number }[];
    expect(live).toHaveLength(CALLS);
    // The live sessions heartbeat: every call was seen after it started, and lately (a few ticks, on a busy machine).
    await sleep(2 * Number(SETTLE_ENV.CALL_HEARTBEAT_MS));
    const seen = (await db('calls').select('started_at', 'last_seen_at')) as { started_at: number; last_seen_at: number }[];
    for (const c of seen) {
      expect(Number(c.last_seen_at)).toBeGreaterThan(Number(c.started_at));
      expect(Date.now() - Number(c.last_seen_at)).toBeLessThan(8 * Number(SETTLE_ENV.CALL_HEARTBEAT_MS));
    }

    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const killedAt = Date.now();
    // The dead process wrote no end for any call.
    expect(((await db('calls').whereNotNull('outcome').count({ c: '*' })) as { c: number }[])[0]!.c).toBe(0);

    const restartedAt = Date.now();
    const second = await startServer();
    const readyAt = Date.now();
    const readyMs = readyAt - restartedAt;
    // Twilio notices the dropped streams and reports some of the calls completed, to the new process.
    const sids = [...committed.keys()];
    for (const callSid of sids.slice(0, WITH_STATUS_CALLBACK)) {
      const r = await post(second, '/twilio/status', { CallSid: callSid, AccountSid: ACCOUNT_SID, CallStatus: 'completed', CallDuration: '20' });
      expect(r.status).toBe(204);
    }

    await until('every call and intake settled and delivered', BOUND_MS, async () => {
      const open = (await db('intakes').whereNull('outcome').count({ c: '*' })) as { c: number }[];
      const calls = (await db('calls').where({ status: 'in-progress' }).count({ c: '*' })) as { c: number }[];
      return Number(open[0]!.c) === 0 && Number(calls[0]!.c) === 0 && zapier.posts.length >= CALLS;
    });
    const settledMs = Date.now() - restartedAt;
    console.log(`[crash-restart] ${CALLS} calls: restart to ready ${readyMs} ms, restart to all settled and delivered ${settledMs} ms (ready to settled ${Date.now() - readyAt} ms, kill to settled ${Date.now() - killedAt} ms; settle after ${SETTLE_ENV.INTERRUPTED_AFTER_MS} ms unseen, sweep every ${SETTLE_ENV.INTERRUPTED_SWEEP_MS} ms)`);
    expect(settledMs).toBeLessThan(BOUND_MS);

    // Every call row ended interrupted. A call Twilio reported before the sweep reached it keeps Twilio's status; one
    // the sweep ended first stays `interrupted` (the first final status wins) and still takes the billed duration.
    const calls = (await db('calls').select('call_sid', 'status', 'outcome', 'end_reason', 'ended_at', 'duration_s')) as { call_sid: string; status: string; outcome: string; end_reason: string; ended_at: unknown; duration_s: number | null }[];
    expect(calls).toHaveLength(CALLS);
    for (const c of calls) {
      const reported = sids.indexOf(c.call_sid) < WITH_STATUS_CALLBACK;
      expect(c, c.call_sid).toMatchObject({ outcome: 'abandoned', end_reason: INTERRUPTED_REASON, duration_s: reported ? 20 : null });
      expect(reported ? ['completed', 'interrupted'] : ['interrupted']).toContain(c.status);
      expect(c.ended_at).not.toBeNull();
    }
    // Every intake settled partial/interrupted with exactly the slots committed before the kill.
    const intakes = (await db('intakes').select('call_sid', 'status', 'outcome', 'slots', 'caller_name', 'callback_phone')) as IntakeRow[];
    expect(intakes).toHaveLength(CALLS);
    for (const i of intakes) {
      expect(i, i.call_sid).toMatchObject({ status: 'partial', outcome: 'interrupted', caller_name: 'Maria Lopez' });
      expect(JSON.parse(i.slots)).toEqual(committed.get(i.call_sid));
      expect(i.callback_phone).toBe(`+1${phoneOf.get(i.call_sid)!.replace(/\D/g, '')}`);
    }
    // Delivered per the firm's rules: one post to the firm's hook per intake, none twice (a little later, still once).
    await sleep(1500);
    const posted = zapier.posts.map((p) => (p.intake as { call_sid: string; status: string; outcome: string }));
    expect(posted.map((p) => p.call_sid).sort()).toEqual([...sids].sort());
    expect(posted.every((p) => p.status === 'partial' && p.outcome === 'interrupted')).toBe(true);
    const outbox = (await db('outbox').select('action', 'status', 'idempotency_key')) as { action: string; status: string; idempotency_key: string }[];
    expect(outbox).toHaveLength(CALLS);
    expect(outbox.every((r) => r.action === 'webhook' && r.status === 'delivered' && r.idempotency_key.endsWith(':intake-ended'))).toBe(true);
    // No Twilio REST request for the calls the crash interrupted: nothing to hang up, the streams are gone.
    expect(rest.updates).toEqual([]);

    second.child.kill('SIGTERM');
    await second.exited;
  });
});
