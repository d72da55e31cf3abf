// Calls that outlive their server, for real: two `hermes serve` processes (bin/hermes.js, one PostgreSQL database)
// behind the repository's nginx, and a fake Twilio that runs HERMES's TwiML as Twilio does: signed webhooks, media
// streams through nginx (real Media Streams messages, the caller's line sent all the time), and when a stream ends
// without the call ending it asks the <Connect action> what next and opens the new stream it is given.
// The 20 calls' first webhooks and streams reach A directly (through nginx, least_conn would spread them over both);
// every request after that (each <Connect action>, each new stream, the webhooks) goes through nginx.
// 20 calls mid-intake on instance A; kill -9 A: the calls resume on B at the step they were at, with what they had
// said. Then A comes back and B gets SIGTERM: B drains and hands every call over to A. The intakes then complete.
// Skipped without nginx (like the other nginx suites) or without PostgreSQL (REQUIRE_POSTGRES=1 makes that fail).
import { request as httpsRequest } from 'node:https';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDeepgram, type FakeDeepgram } from '../../src/bench/fakes/deepgram-server.js';
import { createTestDb, POSTGRES_UNAVAILABLE, type TestDb } from '../helpers/db.js';
import { startFakeTwilioRest, type FakeTwilioRest } from '../fakes/twilio-rest.js';
import { newCallSid, signedForm, type FakeTwilioCaller } from '../fakes/twilio-caller.js';
import { FakeTwilioVoice } from '../fakes/twilio-voice.js';
import { fakesEnv, freePort, killAll, sleep, spawnServe, until, type ServeProcess } from '../helpers/serve.js';
import { findNginx, startNginx, type RunningNginx } from './harness.js';

const NGINX = findNginx();
const REQUIRE_POSTGRES = process.env.REQUIRE_POSTGRES === '1';
const skipReason = !NGINX ? 'no nginx binary found (install Debian package nginx-light)' : POSTGRES_UNAVAILABLE && !REQUIRE_POSTGRES ? `${POSTGRES_UNAVAILABLE}; set HERMES_TEST_PG_URL or start PostgreSQL` : null;
if (skipReason) console.warn(`[survival test] skipped: ${skipReason}`);

const CALLS = 20;
const PUBLIC_URL = 'https://hermes.test';
const ACCOUNT_SID = `AC${'d'.repeat(32)}`;
const AUTH_TOKEN = 'survival-test-auth-token';
const FROM = '+13125550123';
const TO = '+13125550100';
/** nginx's fail_timeout in nginx/conf.d/hermes.conf: an upstream that refused connections is skipped this long. */
const NGINX_FAIL_TIMEOUT_MS = 10_000;
const STORY = 'A truck hit my car on the highway.';
/** Agent audio arrives a little ahead of playback; this long without a frame means the prompt has played. */
const QUIET_MS = 500;
/** The media socket through nginx: its test certificate is self-signed. */
const NGINX_SOCKET = { rejectUnauthorized: false, headers: { host: 'hermes.test' } };

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}

interface Server extends ServeProcess {
  name: string;
  instance: () => string;
}

interface Call {
  voice: FakeTwilioVoice;
  phone: string;
}

describe.skipIf(skipReason !== null)('calls that outlive their server: kill -9 and SIGTERM behind nginx', () => {
  let tdb: TestDb;
  let deepgram: FakeDeepgram;
  let rest: FakeTwilioRest;
  let nginx: RunningNginx;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const ports: [number, number] = [0, 0];
  const servers: Server[] = [];
  const calls: Call[] = [];
  const phoneOf = new Map<string, string>();

  beforeAll(async () => {
    if (POSTGRES_UNAVAILABLE) throw new Error(`REQUIRE_POSTGRES=1 but ${POSTGRES_UNAVAILABLE}`);
    tdb = await createTestDb('postgres');
    deepgram = await startFakeDeepgram({
      // Keyed by CallSid (the stream's tag): the position survives the new speech streams of a resumed call.
      script: ({ key, utteranceIndex }) => (utteranceIndex === 0 ? 'Maria Lopez' : utteranceIndex === 1 ? phoneOf.get(key) : utteranceIndex === 2 ? STORY : undefined),
      speak: { msPerChar: 4 },
    });
    rest = await startFakeTwilioRest(ACCOUNT_SID, AUTH_TOKEN);
    dir = mkdtempSync(join(tmpdir(), 'hermes-survival-'));
    env = {
      ...fakesEnv({
        publicUrl: PUBLIC_URL, accountSid: ACCOUNT_SID, authToken: AUTH_TOKEN, restUrl: rest.url, deepgram, databaseUrl: tdb.url,
        defaultFlow: resolve('test/nginx/fixtures/resume-flow.yaml'), promptCacheDir: join(dir, 'prompts'),
      }),
      JWT_SECRET: 'survival-test-jwt-secret-of-at-least-32-chars',
      LOG_LEVEL: 'warn',
      CALL_HEARTBEAT_MS: '1000',
      INTERRUPTED_AFTER_MS: '30000',
      // Short, so the test does not wait: the calls are waiting on their callers, none finishes within it.
      DRAIN_GRACE_MS: '1000',
    };
    ports[0] = await freePort();
    ports[1] = await freePort();
    nginx = await startNginx(NGINX!, ports);
  });

  afterAll(async () => {
    for (const c of calls) for (const s of c.voice.streams) await s.close().catch(() => undefined);
    await killAll(servers);
    await nginx?.stop();
    await deepgram?.close();
    await rest?.close();
    await tdb?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function startServer(name: string, port: number): Promise<Server> {
    const p = spawnServe({ env, port, args: ['--workers', '1'] });
    const s: Server = Object.assign(p, { name, instance: () => `:${p.child.pid}` });
    servers.push(s);
    await s.ready('/ready', 60_000, name);
    return s;
  }

  /** Where Twilio's requests go: instance A directly while the calls are placed, then nginx. */
  let direct: number | null = null;

  /** Twilio's HTTPS requests, through nginx (or straight to one instance while `direct` is set). */
  function post(path: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
    if (direct !== null) {
      return fetch(`http://127.0.0.1:${direct}${path}`, { method: 'POST', headers, body }).then(async (r) => ({ status: r.status, body: await r.text() }));
    }
    return new Promise((ok, fail) => {
      const req = httpsRequest({ host: '127.0.0.1', port: nginx.ports.https, path, method: 'POST', headers: { host: 'hermes.test', ...headers }, rejectUnauthorized: false, agent: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += String(d)));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
      });
      req.on('error', fail);
      req.end(body);
    });
  }

  /**
   * After fail_timeout nginx tries a server that refused connections with one request at a time until one succeeds;
   * a few sequential requests (spread by least_conn's round robin) give it that success, as production traffic would.
   */
  async function warmUpstreams(since: number): Promise<void> {
    await sleep(Math.max(0, since + NGINX_FAIL_TIMEOUT_MS + 300 - Date.now()));
    for (let i = 0; i < 8; i++) {
      await new Promise<void>((ok, fail) => {
        const req = httpsRequest({ host: '127.0.0.1', port: nginx.ports.https, path: '/health', headers: { host: 'hermes.test' }, rejectUnauthorized: false, agent: false }, (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? ok() : fail(new Error(`/health through nginx: ${res.statusCode}`))));
        });
        req.on('error', fail);
        req.end();
      });
    }
  }

  const viaNginx = () => `wss://127.0.0.1:${nginx.ports.https}`;

  const stream = (c: Call): FakeTwilioCaller => c.voice.streams[c.voice.streams.length - 1]!;

  /** A call comes in through nginx: the voice webhook, then the media stream its TwiML names. */
  async function place(i: number): Promise<Call> {
    const callSid = newCallSid();
    const phone = `312 555 ${String(200 + i).padStart(4, '0')}`;
    phoneOf.set(callSid, phone);
    const voice = new FakeTwilioVoice(callSid, {
      publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID, post, serverUrl: direct !== null ? `ws://127.0.0.1:${direct}` : viaNginx(),
      attorneys: {}, from: FROM, to: TO, stream: { speed: 1, socket: NGINX_SOCKET }, continuousMedia: true,
    });
    const params = { CallSid: callSid, AccountSid: ACCOUNT_SID, From: FROM, To: TO, CallStatus: 'ringing', Direction: 'inbound', ApiVersion: '2010-04-01' };
    const f = signedForm(AUTH_TOKEN, `${PUBLIC_URL}/twilio/voice`, params);
    const res = await post('/twilio/voice', f.headers, f.body);
    expect(res.status, res.body).toBe(200);
    await voice.run(res.body);
    const c = { voice, phone };
    calls.push(c);
    return c;
  }

  /** The agent's audio on the call's current stream has played out (nothing new for a while). */
  async function playedOut(c: Call): Promise<void> {
    await until(`call ${c.voice.callSid} to finish a prompt`, 30_000, () => {
      const last = stream(c).frames.at(-1);
      return last !== undefined && performance.now() - last.at > QUIET_MS;
    });
  }

  /** Waits for the agent's prompt on the current stream to have played out, then speaks an answer. */
  async function answer(c: Call): Promise<void> {
    await playedOut(c);
    await stream(c).speak(600);
  }

  /** The agent audio that follows an answer has started and played out on the call's current stream. */
  async function heardPrompt(c: Call, streams: number, afterFrames: number): Promise<void> {
    await until(`call ${c.voice.callSid} to hear its next prompt`, 30_000, () => c.voice.streams.length === streams && stream(c).frames.length > afterFrames);
    await playedOut(c);
  }

  async function agentTurns(callSid: string): Promise<string[]> {
    const rows = (await tdb.db('turns').where({ call_sid: callSid, speaker: 'agent' }).orderBy('seq').select('text')) as { text: string }[];
    return rows.map((r) => r.text);
  }

  it('20 calls on A survive kill -9 (resumed on B at the same step) and B\'s SIGTERM (handed to A); every intake completes', { timeout: 240_000 }, async () => {
    const t0 = Date.now();
    const [a, b] = await Promise.all([startServer('A', ports[0]), startServer('B', ports[1])]);
    direct = a.port;
    for (let i = 0; i < CALLS; i++) await place(i);
    direct = null;
    // From here on Twilio reaches HERMES through nginx only: <Connect action> requests and the new streams.
    for (const c of calls) c.voice.streamTo(viaNginx());
    // Every caller gives a name; A asks for the number.
    await Promise.all(calls.map(async (c) => {
      await answer(c);
      await heardPrompt(c, 1, stream(c).frames.length);
    }));
    await until('every name stored', 20_000, async () => {
      const n = (await tdb.db('intakes').whereNotNull('caller_name').count({ c: '*' })) as { c: string }[];
      return Number(n[0]!.c) === CALLS;
    });
    const onA = (await tdb.db('calls').select('call_sid', 'instance')) as { call_sid: string; instance: string }[];
    expect(onA.filter((r) => r.instance?.endsWith(a.instance())).length, JSON.stringify(onA)).toBe(CALLS);

    // ---- kill -9 A -----------------------------------------------------------------------------------------------
    const killedAt = performance.now();
    const killedWall = Date.now();
    a.child.kill('SIGKILL');
    expect(await a.exited).toBe('SIGKILL');
    const resumed = await Promise.allSettled(calls.map((c) => until(`call ${c.voice.callSid} resumed`, 20_000, () => c.voice.streams.length === 2 && stream(c).frames.length > 0)));
    const killResumed = calls.filter((_c, i) => resumed[i]!.status === 'fulfilled');
    for (const c of calls.filter((x) => !killResumed.includes(x)).slice(0, 3)) {
      console.log('[survival] not resumed', c.voice.callSid, c.voice.streams.length, c.voice.streamFailures, c.voice.callerLines(), c.voice.requests, c.voice.ended);
    }
    if (killResumed.length < CALLS) console.log(b.output().slice(-3000), nginx.errorLog().slice(-3000));
    const killGaps = killResumed.map((c) => c.voice.streams[1]!.frames[0]!.at - killedAt);
    const phases = {
      noticed: killResumed.map((c) => c.voice.streams[0]!.closedAt! - killedAt),
      asked: killResumed.map((c) => c.voice.timings[0]!.sentAt - c.voice.streams[0]!.closedAt!),
      answered: killResumed.map((c) => c.voice.timings[0]!.answeredAt - c.voice.timings[0]!.sentAt),
      streamOpen: killResumed.map((c) => c.voice.streams[1]!.openedAt! - c.voice.timings[0]!.answeredAt),
      firstFrame: killResumed.map((c) => c.voice.streams[1]!.frames[0]!.at - c.voice.streams[1]!.openedAt!),
    };
    // The caller hears the line about the drop and the question they were answering, and gives the number.
    await Promise.all(killResumed.map((c) => playedOut(c)));
    for (const c of killResumed) {
      const said = await agentTurns(c.voice.callSid);
      const cut = said.findIndex((t) => t.startsWith('Sorry, we got cut off.'));
      expect(said[cut], c.voice.callSid).toBe('Sorry, we got cut off. You were telling me your phone number.');
      expect(said[cut + 1]).toBe('Your number?');
    }
    const a2Starting = startServer('A2', ports[0]);
    await Promise.all(killResumed.map(async (c) => {
      const before = stream(c).frames.length;
      await stream(c).speak(600);
      await heardPrompt(c, 2, before);
    }));
    const onB = (await tdb.db('calls').select('instance')) as { instance: string }[];
    expect(onB.filter((r) => r.instance?.endsWith(b.instance())).length).toBe(killResumed.length);
    const a2 = await a2Starting;
    await warmUpstreams(killedWall + 2000);

    // ---- SIGTERM B -----------------------------------------------------------------------------------------------
    b.child.kill('SIGTERM');
    const handed = await Promise.allSettled(killResumed.map((c) => until(`call ${c.voice.callSid} handed over`, 20_000, () => c.voice.streams.length === 3 && stream(c).frames.length > 0)));
    const termResumed = killResumed.filter((_c, i) => handed[i]!.status === 'fulfilled');
    for (const c of killResumed.filter((x) => !termResumed.includes(x))) {
      console.log('[survival] not handed over', c.voice.callSid, c.voice.streams.length, c.voice.streamFailures, c.voice.callerLines(), c.voice.requests, c.voice.streams.map((x) => [x.closeCode, x.frames.length]));
    }
    const termGaps = termResumed.map((c) => c.voice.streams[2]!.frames[0]!.at - c.voice.streams[1]!.closedAt!);
    if (termResumed.length < killResumed.length) console.log(b.output().slice(-3000));
    expect(await b.exited).toBe(null); // exited by itself (code 0), not by a signal it could not handle
    expect(b.child.exitCode).toBe(0);
    await Promise.all(termResumed.map((c) => playedOut(c)));
    for (const c of termResumed) {
      const said = await agentTurns(c.voice.callSid);
      const cut = said.lastIndexOf("Sorry, we got cut off. Let's pick up where we left off.");
      expect(cut, `${c.voice.callSid}: ${JSON.stringify(said)}`).toBeGreaterThan(0);
      expect(said[cut + 1]).toBe('What happened?');
    }
    // Every caller tells what happened; the intake completes and the call ends (Twilio hangs up after the goodbye).
    await Promise.all(termResumed.map(answer));
    await until('every call ended', 30_000, () => termResumed.every((c) => c.voice.ended));
    const intakes = (await tdb.db('intakes').select('call_sid', 'status', 'outcome', 'slots')) as { call_sid: string; status: string; outcome: string; slots: string | Record<string, unknown> }[];
    const completed = intakes.filter((r) => r.outcome === 'completed');
    for (const r of completed) {
      const slots = typeof r.slots === 'string' ? (JSON.parse(r.slots) as Record<string, unknown>) : r.slots;
      expect(slots, r.call_sid).toMatchObject({ caller_name: 'Maria Lopez', callback_phone: `+1${phoneOf.get(r.call_sid)!.replace(/\D/g, '')}`, description: STORY });
    }
    const resumes = (await tdb.db('calls').select('call_sid', 'resumes', 'outcome')) as { call_sid: string; resumes: number; outcome: string | null }[];

    const fmt = (xs: number[]) => `p50 ${Math.round(percentile(xs, 50))} ms, p95 ${Math.round(percentile(xs, 95))} ms, max ${Math.round(Math.max(...xs))} ms`;
    console.log(
      `[survival] kill -9: ${killResumed.length}/${CALLS} resumed on B; caller-side gap (the kill -> first agent frame on the new stream; the caller was listening, so this is the silence the kill added) ${fmt(killGaps)}\n` +
      `[survival] kill -9 gap by phase (p50/p95): ${Object.entries(phases).map(([k, xs]) => `${k} ${Math.round(percentile(xs, 50))}/${Math.round(percentile(xs, 95))} ms`).join(', ')}\n` +
      `[survival] SIGTERM: ${termResumed.length}/${killResumed.length} handed to A; gap old stream closed -> first frame ${fmt(termGaps)}\n` +
      `[survival] intakes completed ${completed.length}/${CALLS}; resumes per call ${JSON.stringify(resumes.map((r) => r.resumes))}; wall ${Date.now() - t0} ms`,
    );
    expect(killResumed.length).toBeGreaterThanOrEqual(CALLS - 1);
    expect(percentile(killGaps, 95)).toBeLessThanOrEqual(2000);
    expect(termResumed.length).toBe(killResumed.length);
    expect(completed.length).toBe(termResumed.length);
    expect(a2.child.exitCode).toBe(null);
  });
});
