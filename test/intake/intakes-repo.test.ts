import { expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { firmDb } from '../helpers/firm-db.js';
import { createIntakeStore, statusFor, UnknownCallError } from '../../src/intake/intakes-repo.js';
import { seedCall } from '../integrations/helpers.js';

describeEachDb('intake records on %s', (kind) => {
  const t = firmDb(kind);

  it('creates the intake row with the first slot and saves each slot at once, typed columns included', async () => {
    const store = createIntakeStore(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    expect(await store.byCall(sid)).toBeNull();
    await store.slot(sid, 'caller_name', 'Ann Lee', false);
    const first = await store.byCall(sid);
    expect(first).toMatchObject({ status: 'partial', tenantId: t.tenantId, flowId: 'intake', callerName: 'Ann Lee', slots: { caller_name: 'Ann Lee' }, confirmedSlots: [] });
    await store.slot(sid, 'caller_name', 'Ann Lee', true);
    await store.slot(sid, 'callback_phone', '+13125550142', true);
    await store.slot(sid, 'is_emergency', false, true);
    await store.slot(sid, 'incident_date', '2025-12-24', false);
    await store.slot(sid, 'practice_area', 'personal_injury', true);
    await store.slot(sid, 'opposing_party', 'Acme Trucking', false);
    const i = (await store.byCall(sid))!;
    expect(i).toMatchObject({ callbackPhone: '+13125550142', isEmergency: false, incidentDate: '2025-12-24', practiceArea: 'personal_injury' });
    expect(i.slots).toEqual({ caller_name: 'Ann Lee', callback_phone: '+13125550142', is_emergency: false, incident_date: '2025-12-24', practice_area: 'personal_injury', opposing_party: 'Acme Trucking' });
    expect(i.confirmedSlots.sort()).toEqual(['callback_phone', 'caller_name', 'is_emergency', 'practice_area']);
    expect(await t.db('intakes').where({ call_sid: sid }).count({ n: '*' })).toEqual([{ n: kind === 'postgres' ? '1' : 1 }]);
  });

  it('a call that ends early keeps everything gathered as an abandoned intake', async () => {
    const store = createIntakeStore(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    await store.slot(sid, 'caller_name', 'Bo Diaz', true);
    await store.slot(sid, 'email', 'bo@example.com', false);
    await store.end(sid, null, { caller_name: 'Bo Diaz', email: 'bo@example.com' });
    expect(await store.byCall(sid)).toMatchObject({ status: 'abandoned', outcome: null, callerName: 'Bo Diaz', email: 'bo@example.com', confirmedSlots: ['caller_name'] });
  });

  it('a settled intake is final: a later end() (late close, replayed start) does not rewrite it', async () => {
    const store = createIntakeStore(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    await store.slot(sid, 'caller_name', 'Cy Park', true);
    await store.end(sid, 'completed', { caller_name: 'Cy Park' });
    await store.end(sid, null, { caller_name: 'Someone Else' });
    expect(await store.byCall(sid)).toMatchObject({ status: 'complete', outcome: 'completed', callerName: 'Cy Park' });
  });

  it('end() settles the status from the outcome and adds the slots the engine still held', async () => {
    const store = createIntakeStore(t.db);
    const cases = [
      ['completed', { caller_name: 'A B' }, 'complete'],
      ['transferred', {}, 'transferred'],
      ['conflict', { caller_name: 'A B' }, 'conflict'],
      ['abandoned', { caller_name: 'A B' }, 'abandoned'],
      ['message', { caller_name: 'A B', callback_phone: '+13125550100' }, 'complete'],
      ['message', { caller_name: 'A B' }, 'partial'],
    ] as const;
    for (const [outcome, slots, status] of cases) {
      const sid = await seedCall(t.db, t.tenantId);
      await store.end(sid, outcome, slots);
      expect(await store.byCall(sid), `${outcome} ${JSON.stringify(slots)}`).toMatchObject({ status, outcome, slots });
    }
    expect(statusFor('message', { caller_name: 'X', phone: '+13125550100' })).toBe('complete');
  });

  it('a hang-up before any slot leaves no empty intake behind', async () => {
    const store = createIntakeStore(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    await store.end(sid, null, {});
    expect(await store.byCall(sid)).toBeNull();
  });

  it('marks intakes of calls that ended without the server hearing it (crash) abandoned, keeping their slots', async () => {
    const store = createIntakeStore(t.db);
    const old = await seedCall(t.db, t.tenantId, undefined, new Date('2026-01-05T08:00:00Z'));
    const recent = await seedCall(t.db, t.tenantId, undefined, new Date('2026-01-05T14:00:00Z'));
    const finished = await seedCall(t.db, t.tenantId, undefined, new Date('2026-01-05T08:00:00Z'));
    for (const sid of [old, recent, finished]) await store.slot(sid, 'caller_name', 'Dee Crash', true);
    await store.end(finished, 'completed', {});
    expect(await store.abandonStale(new Date('2026-01-05T11:00:00Z'))).toBe(1);
    expect(await store.byCall(old)).toMatchObject({ status: 'abandoned', callerName: 'Dee Crash' });
    expect(await store.byCall(recent)).toMatchObject({ status: 'partial' });
    expect(await store.byCall(finished)).toMatchObject({ status: 'complete' });
    expect(await store.abandonStale(new Date('2026-01-05T11:00:00Z'))).toBe(0);
  });

  it('refuses a slot for a call that was never recorded, and writes nothing', async () => {
    const store = createIntakeStore(t.db);
    await expect(store.slot('CAunknown', 'caller_name', 'X', true)).rejects.toBeInstanceOf(UnknownCallError);
    expect(await t.db('intakes').where({ call_sid: 'CAunknown' }).first()).toBeUndefined();
  });

  it('marks an intake paid once and never walks it back to link_sent', async () => {
    const store = createIntakeStore(t.db);
    const sid = await seedCall(t.db, t.tenantId);
    await store.slot(sid, 'caller_name', 'Cy Pay', true);
    const i = (await store.byCall(sid))!;
    await store.setPaymentStatus(i.id, 'link_sent');
    expect(await store.markPaid(i.id, new Date('2026-01-05T16:00:00Z'))).toBe(true);
    await store.setPaymentStatus(i.id, 'link_sent');
    expect(await store.byId(i.id)).toMatchObject({ paymentStatus: 'paid', paidAt: new Date('2026-01-05T16:00:00Z') });
    expect(await store.markPaid(999_999, new Date())).toBe(false);
  });
});
