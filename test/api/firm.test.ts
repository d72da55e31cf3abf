// GET/PUT /api/firm: the facts callers hear, set by the firm's owner; everyone at the firm may read them, only the
// owner may change them, and bad input is refused field by field with nothing stored.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { apiWorld, tokenFor, type ApiWorld } from './helpers.js';
import { numberWarnings } from '../../src/call/number-checks.js';
import { loadFlow } from '../../src/flows/index.js';

describeEachDb('firm facts API on %s', (kind) => {
  let w: ApiWorld;
  beforeAll(async () => {
    w = await apiWorld(kind);
  });
  afterAll(async () => {
    await w?.close();
  });
  const call = async (method: 'GET' | 'PUT', email: string, payload?: Record<string, unknown>) =>
    w.app.inject({ method, url: '/api/firm', headers: { authorization: `Bearer ${await tokenFor(w.app, email)}` }, ...(payload ? { payload } : {}) });

  it('the owner sets facts, staff read them, and the firm next door is untouched', async () => {
    const put = await call('PUT', w.firmA.users.owner.email, { main_number: '312-555-0777', on_call: ['+13125550199', '(312) 555-0188'], consultation_fee: 200, business_hours: 'mon-fri 08:00-18:00', holidays: ['2026-12-25'] });
    expect(put.statusCode).toBe(200);
    expect(put.json()).toEqual({
      name: 'alpha-law LLP', timezone: 'America/Chicago', main_number: '+13125550777', on_call: ['+13125550199', '+13125550188'], consultation_fee: 200, address: null,
      business_hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], open: '08:00', close: '18:00' }, holidays: ['2026-12-25'], default_region: null,
    });
    expect((await call('GET', w.firmA.users.staff.email)).json()).toMatchObject({ main_number: '+13125550777', consultation_fee: 200 });
    expect((await call('GET', w.firmB.users.owner.email)).json()).toMatchObject({ main_number: null, on_call: [], consultation_fee: null });
    expect((await call('PUT', w.firmA.users.staff.email, { consultation_fee: 0 })).statusCode).toBe(403);
    expect((await call('PUT', w.firmA.users.attorney.email, { consultation_fee: 0 })).statusCode).toBe(403);
    const audited = await w.tdb.db('audit_log').where({ tenant_id: w.firmA.id, action: 'firm.updated' });
    expect(audited).toHaveLength(1);
  });

  it('refuses bad facts field by field and stores none of the patch', async () => {
    const bad = await call('PUT', w.firmA.users.owner.email, { main_number: '12', timezone: 'Mars/Olympus', consultation_fee: 50 });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details).toEqual([
      { path: '/main_number', message: '"12" is not a phone number (use E.164, e.g. +13125550100)' },
      { path: '/timezone', message: 'unknown IANA time zone "Mars/Olympus"' },
    ]);
    expect((await call('GET', w.firmA.users.owner.email)).json()).toMatchObject({ consultation_fee: 200, timezone: 'America/Chicago' });
    expect((await call('PUT', w.firmA.users.owner.email, { fax: '1' })).statusCode).toBe(400);
    expect((await call('PUT', w.firmA.users.owner.email, {})).statusCode).toBe(400);
  });

  it('warns at start when no number is mapped, and when a firm\'s main or on-call number is a HERMES number', async () => {
    const load = (ref: string) => loadFlow(ref);
    expect(await numberWarnings(w.tdb.db, load, 'flows/intake.yaml')).toEqual([expect.stringMatching(/^no phone number is mapped to a firm/)]);
    await w.tdb.db('phone_numbers').insert([{ tenant_id: w.firmA.id, e164: '+13125550199', flow: 'flows/intake.yaml' }, { tenant_id: w.firmB.id, e164: '+13125550100', flow: 'flows/intake.yaml' }]);
    const ws = await numberWarnings(w.tdb.db, load, 'flows/intake.yaml');
    // Firm A set its own main number, but its on-call list still has +13125550199, now mapped. Firm B has no facts, so
    // the bundled flow's defaults apply: its main number (+13125550100) and on-call number are both mapped here.
    expect(ws).toEqual([
      expect.stringMatching(/^firm "alpha-law LLP" \(tenant \d+, flow intake\): on-call number \+13125550199 is mapped to HERMES/),
      expect.stringMatching(/^firm "beta-law LLP" \(tenant \d+, flow intake\): its main number \+13125550100 is mapped to HERMES/),
      expect.stringMatching(/^firm "beta-law LLP" \(tenant \d+, flow intake\): on-call number \+13125550199 is mapped to HERMES/),
    ]);
  });
});
