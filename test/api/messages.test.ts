// Staff contacts and messages over the admin API: who may change them, strict input, one firm's records invisible to
// another, open messages first, and the handled workflow (audited).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordMessage } from '../../src/intake/messages-repo.js';
import { apiWorld, tokenFor, type ApiWorld } from './helpers.js';

describe('staff contacts and messages API', () => {
  let w: ApiWorld;
  const tok: Record<string, string> = {};
  beforeAll(async () => {
    w = await apiWorld('sqlite');
    for (const role of ['owner', 'attorney', 'staff', 'viewer'] as const) tok[role] = await tokenFor(w.app, w.firmA.users[role].email);
    tok.otherOwner = await tokenFor(w.app, w.firmB.users.owner.email);
  });
  afterAll(async () => {
    await w?.close();
  });

  const req = (who: string, method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown) =>
    w.app.inject({ method, url, headers: { authorization: `Bearer ${tok[who]}` }, ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }) });

  it('lets an owner add, change, list and remove staff contacts, and refuses everyone else', async () => {
    const created = await req('owner', 'POST', '/api/staff-contacts', { name: 'Ana Rivera', phone: '(312) 555-0199', email: 'ana@alpha-law.example', kinds: ['message', 'after_hours'] });
    expect(created.statusCode).toBe(201);
    const c = created.json() as { id: number };
    expect(c).toMatchObject({ name: 'Ana Rivera', phone: '+13125550199', email: 'ana@alpha-law.example', kinds: ['message', 'after_hours'] });
    for (const role of ['attorney', 'staff', 'viewer']) {
      expect((await req(role, 'GET', '/api/staff-contacts')).statusCode).toBe(403);
      expect((await req(role, 'POST', '/api/staff-contacts', { name: 'X', phone: '+13125550111', kinds: ['message'] })).statusCode).toBe(403);
    }
    const patched = await req('owner', 'PATCH', `/api/staff-contacts/${c.id}`, { kinds: ['emergency'], phone: null });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ phone: null, email: 'ana@alpha-law.example', kinds: ['emergency'] });
    expect((await req('owner', 'GET', '/api/staff-contacts')).json()).toEqual([expect.objectContaining({ id: c.id, kinds: ['emergency'] })]);
    // Another firm's owner finds nothing.
    expect((await req('otherOwner', 'GET', '/api/staff-contacts')).json()).toEqual([]);
    expect((await req('otherOwner', 'PATCH', `/api/staff-contacts/${c.id}`, { name: 'Mallory' })).statusCode).toBe(404);
    expect((await req('otherOwner', 'DELETE', `/api/staff-contacts/${c.id}`)).statusCode).toBe(404);
    expect((await req('owner', 'DELETE', `/api/staff-contacts/${c.id}`)).statusCode).toBe(204);
    expect((await req('owner', 'GET', '/api/staff-contacts')).json()).toEqual([]);
    const audited = (await w.tdb.db('audit_log').where({ tenant_id: w.firmA.id }).where('action', 'like', 'staff_contact.%').orderBy('id')) as { action: string; details: string }[];
    expect(audited.map((a) => a.action)).toEqual(['staff_contact.create', 'staff_contact.update', 'staff_contact.delete']);
    expect(audited.map((a) => a.details).join(' ')).not.toContain('555');
  });

  it('answers 400 with the field for a bad phone, an unknown kind, no kinds, or no way to reach the person', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'X', phone: '555-01', kinds: ['message'] }, 'body.phone'],
      [{ name: 'X', phone: '+13125550111', kinds: ['pager'] }, 'body.kinds[0]'],
      [{ name: 'X', phone: '+13125550111', kinds: [] }, 'body.kinds'],
      [{ name: 'X', kinds: ['message'] }, 'body.phone'],
      [{ name: 'X', email: 'nope', kinds: ['message'] }, 'body.email'],
    ];
    for (const [body, path] of cases) {
      const r = await req('owner', 'POST', '/api/staff-contacts', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect((r.json() as { details: { path: string }[] }).details.map((d) => d.path), JSON.stringify(body)).toContain(path);
    }
    expect((await req('owner', 'PATCH', '/api/staff-contacts/1', {})).statusCode).toBe(400);
    expect((await req('owner', 'GET', '/api/staff-contacts/abc')).statusCode).toBe(404);
  });

  it('lists open messages first and walks the handled workflow: staff mark handled, viewers only read, audited', async () => {
    const ids: number[] = [];
    for (const [i, name] of ['Ann Lee', 'Bo Diaz', 'Cat Ng'].entries()) {
      const { message } = await recordMessage(w.tdb.db, {
        tenantId: w.firmA.id, intakeId: null, callSid: null, idempotencyKey: `api-test:${i}`, kind: i === 1 ? 'emergency' : 'message', afterHours: false, existingClient: false,
        callerName: name, callbackPhone: '+13125551234', body: `message ${i}`, recipients: [],
      }, new Date(Date.UTC(2026, 0, 5, 15, i)));
      ids.push(message.id);
    }
    const first = await req('viewer', 'GET', '/api/messages');
    expect(first.statusCode).toBe(200);
    expect((first.json() as { items: { id: number }[] }).items.map((m) => m.id)).toEqual([ids[2], ids[1], ids[0]]);

    expect((await req('viewer', 'PUT', `/api/messages/${ids[2]}/handled`)).statusCode).toBe(403);
    const handled = await req('staff', 'PUT', `/api/messages/${ids[2]}/handled`);
    expect(handled.statusCode).toBe(200);
    expect(handled.json()).toMatchObject({ id: ids[2], status: 'handled', handledBy: w.firmA.users.staff.id });
    expect((handled.json() as { handledAt: string | null }).handledAt).not.toBeNull();

    const page = (await req('viewer', 'GET', '/api/messages')).json() as { items: { id: number; status: string }[]; total: number };
    expect(page.items.map((m) => [m.id, m.status])).toEqual([[ids[1], 'new'], [ids[0], 'new'], [ids[2], 'handled']]);
    expect(((await req('viewer', 'GET', '/api/messages?status=new')).json() as { total: number }).total).toBe(2);
    expect((await req('viewer', 'GET', '/api/messages?status=closed')).statusCode).toBe(400);
    expect((await req('viewer', 'GET', `/api/messages/${ids[1]}`)).json()).toMatchObject({ kind: 'emergency', callerName: 'Bo Diaz', status: 'new' });

    // Another firm sees none of it and cannot touch it.
    expect(((await req('otherOwner', 'GET', '/api/messages')).json() as { total: number }).total).toBe(0);
    expect((await req('otherOwner', 'PUT', `/api/messages/${ids[0]}/handled`)).statusCode).toBe(404);

    const reopened = await req('attorney', 'DELETE', `/api/messages/${ids[2]}/handled`);
    expect(reopened.json()).toMatchObject({ status: 'new', handledAt: null, handledBy: null });
    const audited = (await w.tdb.db('audit_log').where({ tenant_id: w.firmA.id }).where('action', 'like', 'message.%').orderBy('id')) as { action: string; target: string }[];
    expect(audited.map((a) => [a.action, a.target])).toEqual([['message.handled', `message:${ids[2]}`], ['message.reopened', `message:${ids[2]}`]]);
  });

  it('describes the new routes in the OpenAPI document', async () => {
    const spec = (await w.app.inject({ url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(spec.paths['/api/staff-contacts']!)).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(spec.paths['/api/staff-contacts/{id}']!)).toEqual(expect.arrayContaining(['patch', 'delete']));
    expect(Object.keys(spec.paths['/api/messages']!)).toContain('get');
    expect(Object.keys(spec.paths['/api/messages/{id}/handled']!)).toEqual(expect.arrayContaining(['put', 'delete']));
  });
});
