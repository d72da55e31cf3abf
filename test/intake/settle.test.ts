// Settling what a crash interrupted, on both engines: calls whose session stopped heartbeating are ended as
// interrupted, their intakes settled partial/interrupted with every committed slot and delivered once (Zapier, a
// Clio lead), whatever the number of instances sweeping; live and finished calls are left alone.
import { beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { firmDb } from '../helpers/firm-db.js';
import { createDb } from '../../src/db/knex.js';
import { createCallsRepo, type CallsRepo } from '../../src/intake/calls-repo.js';
import { createIntakeStore, type IntakeStore } from '../../src/intake/intakes-repo.js';
import { INTERRUPTED_REASON } from '../../src/intake/settle.js';
import { createSettler } from '../../src/integrations/index.js';
import { seedTenant, testConfig } from '../integrations/helpers.js';

const T0 = new Date('2026-12-03T10:00:00Z');
const at = (s: number) => new Date(T0.getTime() + s * 1000);
const config = testConfig({ zapierHookUrl: 'https://hooks.zapier.com/hooks/catch/1/abc' });

describeEachDb('settling interrupted calls on %s', (kind) => {
  const t = firmDb(kind);
  let calls: CallsRepo;
  let store: IntakeStore;
  let n = 0;

  beforeAll(async () => {
    calls = createCallsRepo(t.db);
    store = createIntakeStore(t.db);
  });

  /** A call with a live stream at T0 and the given committed slots. */
  async function liveCall(slots: Record<string, unknown> = {}, tenant: number | null = t.tenantId): Promise<string> {
    const callSid = `CAsettle${kind}${String(++n).padStart(20, '0')}`;
    await calls.create({ callSid, tenantId: tenant, from: '+13125550142', to: '+13125550100', flowId: 'intake', flowVersion: '1', startedAt: T0 });
    expect(await calls.claimStream(callSid, `MZ${n}`, T0)).not.toBeNull();
    for (const [k, v] of Object.entries(slots)) await store.slot(callSid, k, v, true);
    return callSid;
  }
  const outbox = (callSid: string) => t.db('outbox').where({ call_sid: callSid }).orderBy('id').select('action', 'idempotency_key');

  it('ends a call whose heartbeat stopped as interrupted and settles its intake partial, keeping every slot, delivered once', async () => {
    const dead = await liveCall({ caller_name: 'Ann Lee', practice_area: 'personal_injury' });
    const alive = await liveCall({ caller_name: 'Bo Diaz' });
    await calls.heartbeat([alive], at(50));
    const settler = createSettler(t.db, config, () => at(70));
    expect(await settler.sweep(at(10))).toEqual({ calls: 1, intakes: 1 });

    expect(await calls.get(dead)).toMatchObject({ status: 'interrupted', outcome: 'abandoned', endReason: INTERRUPTED_REASON, endedAt: at(70) });
    expect(await store.byCall(dead)).toMatchObject({ status: 'partial', outcome: 'interrupted', callerName: 'Ann Lee', slots: { caller_name: 'Ann Lee', practice_area: 'personal_injury' } });
    expect(await outbox(dead)).toEqual([{ action: 'webhook', idempotency_key: `${dead}:intake-ended` }]);
    // The live call is untouched, and a second sweep finds nothing more to do.
    expect(await calls.get(alive)).toMatchObject({ status: 'in-progress', outcome: null });
    expect(await store.byCall(alive)).toMatchObject({ status: 'partial', outcome: null });
    expect(await settler.sweep(at(10))).toEqual({ calls: 0, intakes: 0 });
    expect(await outbox(dead)).toHaveLength(1);
  });

  it('is final once final: the session of an interrupted call closing late rewrites neither the call nor the intake', async () => {
    const sid = await liveCall({ caller_name: 'Cy Park' });
    await createSettler(t.db, config, () => at(70)).sweep(at(10));
    const [call, intake] = [await calls.get(sid), await store.byCall(sid)];
    await calls.finish({ callSid: sid, outcome: 'completed', reason: 'flow ended', endedAt: at(80) });
    await store.end(sid, 'completed', { caller_name: 'Someone Else' });
    await calls.heartbeat([sid], at(90)); // a heartbeat is no outcome: it only moves last_seen_at
    expect({ ...(await calls.get(sid)), lastSeenAt: null }).toEqual({ ...call, lastSeenAt: null });
    expect(await store.byCall(sid)).toEqual(intake);
  });

  it('leaves calls a session finished (no Twilio status yet) and invents no intake for a call that collected nothing', async () => {
    const finished = await liveCall({ caller_name: 'Di Wu' });
    await calls.finish({ callSid: finished, outcome: 'completed', reason: 'flow ended', endedAt: at(5) });
    await store.end(finished, 'completed', { caller_name: 'Di Wu' });
    const empty = await liveCall();
    await createSettler(t.db, config, () => at(70)).sweep(at(10));
    expect(await calls.get(finished)).toMatchObject({ status: 'in-progress', outcome: 'completed' });
    expect(await store.byCall(finished)).toMatchObject({ status: 'complete' });
    expect(await calls.get(empty)).toMatchObject({ status: 'interrupted', endReason: INTERRUPTED_REASON });
    expect(await store.byCall(empty)).toBeNull();
    expect(await outbox(empty)).toEqual([]);
  });

  it("never takes a call the sweeping instance holds a live session for, however late its heartbeat", async () => {
    const held = await liveCall({ caller_name: 'Lu Chen' });
    expect(await createSettler(t.db, config, () => at(70)).sweep(at(10), 200, [held])).toEqual({ calls: 0, intakes: 0 });
    expect(await calls.get(held)).toMatchObject({ status: 'in-progress', outcome: null });
    expect(await createSettler(t.db, config, () => at(70)).sweep(at(10))).toEqual({ calls: 1, intakes: 1 });
  });

  it('a call whose stream never started is ended with that reason once its stream token has expired', async () => {
    const sid = `CAnostream${kind}${String(++n).padStart(18, '0')}`;
    await calls.create({ callSid: sid, tenantId: t.tenantId, from: '+13125550142', to: '+13125550100', flowId: 'intake', flowVersion: '1', startedAt: T0 });
    // A busy instance or a slow Twilio may still connect the stream while its token lives (two minutes).
    await createSettler(t.db, config, () => at(70)).sweep(at(10));
    expect(await calls.get(sid)).toMatchObject({ status: 'in-progress', outcome: null });
    await createSettler(t.db, config, () => at(200)).sweep(at(140));
    expect(await calls.get(sid)).toMatchObject({ status: 'interrupted', endReason: 'interrupted: the media stream never started' });
  });

  it('several instances sweeping at once end each call once and queue each delivery once', async () => {
    const sids = await Promise.all(Array.from({ length: 12 }, (_, i) => liveCall({ caller_name: `Caller ${i}`, callback_phone: '+13125550199' })));
    // On PostgreSQL each "instance" has its own connection pool, as separate processes would. SQLite is the
    // single-instance engine (and better-sqlite3 is synchronous: a second pool in one process would block it), so
    // there the sweeps interleave on one connection.
    const others = kind === 'postgres' ? [createDb(t.url), createDb(t.url)] : [];
    try {
      const pools = others.length ? [t.db, ...others] : [t.db, t.db, t.db];
      const results = await Promise.all(pools.map((db) => createSettler(db, config, () => at(70)).sweep(at(10))));
      const mine = (await t.db('calls').whereIn('call_sid', sids).where({ status: 'interrupted' }).count({ c: '*' })) as { c: number | string }[];
      expect(Number(mine[0]!.c)).toBe(12);
      // Each call claimed by exactly one sweep, each intake settled by exactly one.
      expect(results.reduce((s, r) => s + r.calls, 0)).toBe(12);
      expect(results.reduce((s, r) => s + r.intakes, 0)).toBe(12);
      for (const sid of sids) {
        expect(await store.byCall(sid)).toMatchObject({ status: 'partial', outcome: 'interrupted' });
        expect(await outbox(sid)).toEqual([{ action: 'webhook', idempotency_key: `${sid}:intake-ended` }]);
      }
    } finally {
      await Promise.all(others.map((db) => db.destroy()));
    }
  });

  it("Twilio's final status for a call whose session is gone settles the intake; a recent heartbeat defers it", async () => {
    const sid = await liveCall({ caller_name: 'Ed Ray', callback_phone: '+13125550177' });
    const settler = createSettler(t.db, config, () => at(40));
    await calls.heartbeat([sid], at(30));
    expect(await calls.recordStatus(sid, 'completed', 31, at(31))).toBe(true);
    // A session was seen a second ago: it may be closing on another instance.
    expect(await settler.settleIfGone(sid, at(31 - 30))).toBe('seen');
    expect(await store.byCall(sid)).toMatchObject({ status: 'partial', outcome: null });
    // No heartbeat since the status: gone.
    expect(await settler.settleIfGone(sid, at(31))).toBe('settled');
    expect(await calls.get(sid)).toMatchObject({ status: 'completed', durationS: 31, outcome: 'abandoned', endReason: INTERRUPTED_REASON });
    expect(await store.byCall(sid)).toMatchObject({ status: 'partial', outcome: 'interrupted', callbackPhone: '+13125550177' });
    expect(await settler.settleIfGone(sid, at(31))).toBe('final');
    expect(await outbox(sid)).toHaveLength(1);
  });

  it('the sweep settles an intake its call left open after a final status (no session seen since)', async () => {
    const sid = await liveCall({ caller_name: 'Flo Kim' });
    expect(await calls.recordStatus(sid, 'completed', 12, at(12))).toBe(true);
    expect(await createSettler(t.db, config, () => at(70)).sweep(at(10))).toMatchObject({ intakes: 1 });
    expect(await calls.get(sid)).toMatchObject({ status: 'completed', outcome: 'abandoned', endReason: INTERRUPTED_REASON });
    expect(await store.byCall(sid)).toMatchObject({ status: 'partial', outcome: 'interrupted' });
  });

  it("an intake whose session finished but whose end was lost is settled from the call's outcome", async () => {
    const sid = await liveCall({ caller_name: 'Gil Fox', callback_phone: '+13125550155' });
    await calls.finish({ callSid: sid, outcome: 'message', reason: 'message taken', endedAt: at(5) });
    expect(await createSettler(t.db, config, () => at(70)).sweep(at(10))).toMatchObject({ intakes: 1 });
    expect(await store.byCall(sid)).toMatchObject({ status: 'complete', outcome: 'message' });
  });

  it('a partial intake with a callback number is a lead: queued to the firm\u2019s Clio once, unless the flow already did', async () => {
    const firm = await seedTenant(t.db);
    await t.db('integration_credentials').insert({ tenant_id: firm, provider: 'clio', secret_enc: 'x', meta: '{}' });
    const lead = await liveCall({ caller_name: 'Hal Orr', callback_phone: '+13125550111' }, firm);
    const noPhone = await liveCall({ caller_name: 'Ivy Poe' }, firm);
    const noName = await liveCall({ callback_phone: '+13125550112' }, firm); // Clio Manage needs a name for the contact
    const queued = await liveCall({ caller_name: 'Jo Quinn', callback_phone: '+13125550113' }, firm);
    await t.db('outbox').insert({ tenant_id: firm, intake_id: (await store.byCall(queued))!.id, call_sid: queued, action: 'clio.create_intake', args: '{}', progress: '{}', idempotency_key: `${queued}:create_intake`, status: 'pending', attempts: 0, max_attempts: 12, next_attempt_at: T0 });
    const otherFirm = await liveCall({ caller_name: 'Kim Roe', callback_phone: '+13125550114' }); // no Clio connected

    await createSettler(t.db, config, () => at(70)).sweep(at(10));
    expect(await outbox(lead)).toEqual([
      { action: 'webhook', idempotency_key: `${lead}:intake-ended` },
      { action: 'clio.create_intake', idempotency_key: `${lead}:interrupted-lead` },
    ]);
    for (const sid of [noPhone, noName, otherFirm]) expect((await outbox(sid)).map((r) => r.action)).toEqual(['webhook']);
    expect((await outbox(queued)).map((r) => r.action)).toEqual(['clio.create_intake', 'webhook']);

    // With the Grow inbox as the target a number alone is enough.
    await t.db('integration_credentials').insert({ tenant_id: firm, provider: 'clio_grow', secret_enc: 'x', meta: '{}' });
    await t.db('integration_credentials').where({ tenant_id: firm, provider: 'clio' }).update({ meta: '{"target":"grow"}' });
    const growLead = await liveCall({ callback_phone: '+13125550115' }, firm);
    await createSettler(t.db, config, () => at(70)).sweep(at(10));
    expect((await outbox(growLead)).map((r) => r.action)).toEqual(['webhook', 'clio.create_intake']);
  });

  it('heartbeat marks every listed call seen in one statement, ended ones included', async () => {
    const a = await liveCall();
    const b = await liveCall();
    await calls.recordStatus(b, 'completed', 3, at(3));
    await calls.heartbeat([a, b], at(45));
    expect((await calls.get(a))!.lastSeenAt).toEqual(at(45));
    expect((await calls.get(b))!.lastSeenAt).toEqual(at(45));
  });
});
