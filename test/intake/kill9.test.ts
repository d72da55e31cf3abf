import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { createWorker } from '../../src/integrations/index.js';
import { countByStatus } from '../../src/integrations/outbox/store.js';
import { silentLogger } from '../../src/observability/logger.js';
import { deliveryWorld, type DeliveryWorld } from '../integrations/delivery-world.js';
import { drain } from '../integrations/helpers.js';

const CALLS = 20;
const DONE_CALLS = 3;
const AC = 'AC00000000000000000000000000000009';

type Report = { slot?: { callSid: string; name: string; value: unknown }; queued?: { callSid: string; action: string }; ended?: { callSid: string; outcome: string } };

/**
 * Runs the child and kills it with SIGKILL while its calls are talking: as soon as every call has at least two
 * committed slots (an intake of 20 caller turns, one turn per 40 ms: the calls are a few turns in). Returns what
 * the child reported as committed.
 */
async function runAndKill(databaseUrl: string, tenantId: number, zapierHookUrl: string): Promise<{ reports: Report[]; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/intake/kill-child.ts'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, TENANT_ID: String(tenantId), CALLS: String(CALLS), DONE_CALLS: String(DONE_CALLS), ZAPIER_HOOK_URL: zapierHookUrl, LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += String(c)));
  const reports: Report[] = [];
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const slotsPerCall = new Map<string, number>();
  const ready = new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'STARTED') return;
      const r = JSON.parse(line) as Report;
      reports.push(r);
      if (r.slot?.callSid.startsWith('CAkill')) slotsPerCall.set(r.slot.callSid, (slotsPerCall.get(r.slot.callSid) ?? 0) + 1);
      if (slotsPerCall.size === CALLS && [...slotsPerCall.values()].every((n) => n >= 2) && child.exitCode === null && !child.killed) {
        child.kill('SIGKILL');
        resolve();
      }
    });
    void exited.then(() => reject(new Error(`child exited before it was killed: ${stderr.slice(-2000)}`)));
  });
  await ready;
  return { reports, signal: await exited };
}

describeEachDb('kill -9 with %s', (kind) => {
  let w: DeliveryWorld;
  beforeAll(async () => {
    w = await deliveryWorld(kind, { accountSid: AC, paymentUrlTemplate: 'https://secure.lawpay.com/pages/alpha-law/consult?amount={amount}&reference={reference}' });
  });
  afterAll(async () => {
    await w?.closeAll();
  });

  it(`with ${CALLS} calls in progress leaves ${CALLS} partial intakes holding every committed slot, and the outbox drains after restart`, { timeout: 90_000 }, async () => {
    const { reports, signal } = await runAndKill(w.t.url, w.tenantId, w.zapier.hookUrl);
    expect(signal).toBe('SIGKILL');
    expect(reports.filter((r) => r.ended?.callSid.startsWith('CAkill'))).toEqual([]);

    // "Restart": a fresh look at the database, as the next server process would have.
    const store = createIntakeStore(w.t.db);
    const intakes = (await w.t.db('intakes').orderBy('call_sid')) as { call_sid: string; status: string }[];
    const inProgress = intakes.filter((i) => i.call_sid.startsWith('CAkill'));
    expect(inProgress).toHaveLength(CALLS);
    expect(inProgress.every((i) => i.status === 'partial')).toBe(true);
    expect(intakes.filter((i) => i.call_sid.startsWith('CAdone')).map((i) => i.status)).toEqual(Array(DONE_CALLS).fill('complete'));

    // Nothing lost: every slot the child saw committed is in the database with the value it wrote last.
    const last = new Map<string, unknown>();
    for (const r of reports) if (r.slot) last.set(`${r.slot.callSid}/${r.slot.name}`, r.slot.value);
    expect(last.size).toBeGreaterThan(CALLS * 2);
    for (const [key, value] of last) {
      const [callSid, name] = key.split('/') as [string, string];
      expect((await store.byCall(callSid))!.slots[name], key).toEqual(value);
    }
    const turns = (await w.t.db('turns').where('call_sid', 'like', 'CAkill%').count({ n: '*' }).first()) as { n: number | string };
    expect(Number(turns.n)).toBeGreaterThan(CALLS * 3);

    // Every queued delivery is in the outbox, and a worker started after the crash delivers all of them.
    const queued = reports.filter((r) => r.queued).length;
    expect(queued).toBe(DONE_CALLS * 2);
    // Besides the flow's own deliveries, each finished call queued its Zapier post and the caller's text.
    expect(await countByStatus(w.t.db)).toMatchObject({ pending: queued + DONE_CALLS * 2, delivered: 0 });
    // The child wrote its rows at the wall clock's time; the simulated clock catches up with it.
    w.clock.set(new Date(Date.now() + 1_000));
    const worker = createWorker({ db: w.t.db, config: w.config, log: silentLogger(), clock: w.clock, clio: w.access, creds: w.creds, lawpayPollMs: 0 });
    await drain(w.t.db, worker, w.clock);
    expect(await countByStatus(w.t.db)).toEqual({ pending: 0, in_flight: 0, delivered: queued + DONE_CALLS * 2, dead: 0 });
    // Texts: the payment link and the caller's text after the call, one each per finished call.
    expect([w.clio.contacts.length, w.clio.matters.length, w.twilio.messages.length, w.zapier.posts.length]).toEqual([DONE_CALLS, DONE_CALLS, DONE_CALLS * 2, DONE_CALLS]);
  });
});
