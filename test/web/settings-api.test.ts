// The admin routes the staff app's settings and call screens added: a call's deliveries (any reader of the call, never
// the args, never another firm's), integration settings stored encrypted and shown without secrets, disconnect, and
// the on-call list read from each active flow. Runs on SQLite and PostgreSQL.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createCredentialStore } from '../../src/integrations/credentials.js';
import { apiWorld, tokenFor, validFlow, type ApiWorld } from '../api/helpers.js';
import { seedCall, seedOutbox } from '../api/seed.js';
import { describeEachDb } from '../helpers/db.js';

const KEY = '11'.repeat(32);

describeEachDb('settings and call-delivery routes on %s', (kind) => {
  let w: ApiWorld;
  let owner: string;
  let staff: string;
  let ownerB: string;
  beforeAll(async () => {
    w = await apiWorld(kind, { encryptionKey: KEY });
    owner = await tokenFor(w.app, w.firmA.users.owner.email);
    staff = await tokenFor(w.app, w.firmA.users.staff.email);
    ownerB = await tokenFor(w.app, w.firmB.users.owner.email);
  });
  afterAll(async () => { await w?.close(); });

  const as = (token: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
    w.app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });

  it('lists the deliveries a call caused to anyone who may read the call, without their args, and 404s another firm', async () => {
    await seedCall(w.tdb.db, w.firmA.id, 'CA_deliv_1');
    const id = await seedOutbox(w.tdb.db, w.firmA.id, 'deliv-1', 'dead');
    await w.tdb.db('outbox').where({ id }).update({ call_sid: 'CA_deliv_1' });
    await seedOutbox(w.tdb.db, w.firmA.id, 'other-call', 'pending');
    const r = await as(staff, 'GET', '/api/calls/CA_deliv_1/deliveries');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual([expect.objectContaining({ id, action: 'clio.create_intake', status: 'dead', lastError: 'Clio answered 500', callSid: 'CA_deliv_1' })]);
    expect(r.body).not.toContain('+13125550188');
    expect((await as(ownerB, 'GET', '/api/calls/CA_deliv_1/deliveries')).statusCode).toBe(404);
    // Seeing is not retrying: staff lack integrations:manage.
    expect((await as(staff, 'POST', `/api/outbox/${id}/retry`)).statusCode).toBe(403);
  });

  it('stores a Zapier hook where the delivery worker reads it (meta) and a Clio Grow token encrypted, shows only the hook\'s host, and disconnects them', async () => {
    const hook = 'https://hooks.zapier.com/hooks/catch/123/abcsecret/';
    expect((await as(owner, 'PUT', '/api/integrations/zapier', { hookUrl: hook })).json()).toEqual({ provider: 'zapier', connected: true });
    expect((await as(owner, 'PUT', '/api/integrations/clio-grow', { inboxLeadToken: 'grow-token-123456' })).statusCode).toBe(200);
    const creds = createCredentialStore(w.tdb.db, KEY);
    expect((await creds.meta(w.firmA.id, 'zapier'))?.hookUrl).toBe(hook);
    expect((await creds.get<{ inboxLeadToken: string }>(w.firmA.id, 'clio_grow'))?.secret.inboxLeadToken).toBe('grow-token-123456');
    const list = await as(owner, 'GET', '/api/integrations');
    expect(list.body).not.toContain('abcsecret');
    expect(list.body).not.toContain('grow-token');
    const byProvider = new Map((list.json() as { provider: string; connected: boolean; meta: Record<string, unknown> }[]).map((i) => [i.provider, i]));
    expect(byProvider.get('zapier')).toMatchObject({ connected: true, meta: { hookHost: 'hooks.zapier.com' } });
    expect(byProvider.get('clio_grow')?.connected).toBe(true);
    expect((await as(owner, 'DELETE', '/api/integrations/clio_grow')).statusCode).toBe(204);
    expect((await as(owner, 'DELETE', '/api/integrations/clio_grow')).statusCode).toBe(404);
    expect(((await as(owner, 'GET', '/api/integrations')).json() as { provider: string; connected: boolean }[]).find((i) => i.provider === 'clio_grow')?.connected).toBe(false);
    const audited = await w.tdb.db('audit_log').where({ tenant_id: w.firmA.id }).whereIn('action', ['integration.set', 'integration.disconnect']).select('action', 'details');
    expect(audited.map((a: { action: string }) => a.action)).toEqual(['integration.set', 'integration.set', 'integration.disconnect']);
    expect(JSON.stringify(audited)).not.toContain('abcsecret');
  });

  it('refuses unknown fields, a non-URL hook, an unknown provider, and anyone without integrations:manage', async () => {
    expect((await as(owner, 'PUT', '/api/integrations/zapier', { hookUrl: 'https://hooks.zapier.com/x', extra: 1 })).statusCode).toBe(400);
    expect((await as(owner, 'PUT', '/api/integrations/zapier', { hookUrl: 'ftp://nope.example/hook' })).statusCode).toBe(400);
    expect((await as(owner, 'PUT', '/api/integrations/lawpay', {})).statusCode).toBe(400);
    expect((await as(owner, 'DELETE', '/api/integrations/paypal')).statusCode).toBe(400);
    expect((await as(staff, 'PUT', '/api/integrations/zapier', { hookUrl: 'https://hooks.zapier.com/x' })).statusCode).toBe(403);
  });

  it('reads the on-call numbers of each active flow, in order', async () => {
    const yaml = validFlow(7).replace(/^firm:\n/m, 'firm:\n  on_call: ["+13125550111", "+13125550122"]\n');
    expect(yaml).toContain('on_call');
    expect((await as(owner, 'POST', '/api/flows', { yaml, activate: true })).statusCode).toBe(201);
    const r = await as(staff, 'GET', '/api/on-call');
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual(expect.arrayContaining([{ flowId: 'intake', version: '7', numbers: ['+13125550111', '+13125550122'], source: 'flow', flowNumbers: ['+13125550111', '+13125550122'], flowFirm: expect.objectContaining({ name: expect.any(String) }) }]));
  });

  it('shows the firm\'s own on-call list in place of the flow\'s once it is set, and the flow\'s again once cleared', async () => {
    expect((await as(owner, 'PUT', '/api/firm', { on_call: ['+13125550133', '+13125550111'] })).statusCode).toBe(200);
    const set = (await as(staff, 'GET', '/api/on-call')).json() as { flowId: string; numbers: string[]; source: string; flowNumbers: string[] }[];
    const intake = set.find((l) => l.flowId === 'intake');
    expect(intake).toMatchObject({ numbers: ['+13125550133', '+13125550111'], source: 'firm', flowNumbers: ['+13125550111', '+13125550122'] });
    expect(set.every((l) => l.source === 'firm')).toBe(true);
    expect((await as(owner, 'PUT', '/api/firm', { on_call: [] })).statusCode).toBe(200);
    const cleared = (await as(staff, 'GET', '/api/on-call')).json() as { flowId: string; numbers: string[]; source: string }[];
    expect(cleared.find((l) => l.flowId === 'intake')).toMatchObject({ numbers: ['+13125550111', '+13125550122'], source: 'flow' });
  });
});
