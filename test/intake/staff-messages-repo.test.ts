// Staff contacts and messages on both engines: input rules, who receives which kind, idempotent recording, open
// messages listed first, and the handled state.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createMessagesRepo, recordMessage, type NewMessage } from '../../src/intake/messages-repo.js';
import { createStaffContactsRepo, recipientsFor, StaffContactInputError } from '../../src/intake/staff-contacts-repo.js';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.js';
import { seedTenant } from '../integrations/helpers.js';

describeEachDb('staff contacts and messages on %s', (kind) => {
  let t: TestDb;
  let firm: number;
  let other: number;
  beforeAll(async () => {
    t = await createTestDb(kind);
    firm = await seedTenant(t.db);
    other = await seedTenant(t.db);
  });
  afterAll(async () => {
    await t?.destroy();
  });

  it('stores a contact with its phone in E.164, its e-mail lower-cased and its kinds in a fixed order', async () => {
    const repo = createStaffContactsRepo(t.db);
    const c = await repo.create(firm, { name: ' Ana Rivera ', phone: '(312) 555-0199', email: 'Ana@Rivera-Law.example', kinds: ['after_hours', 'message', 'message'] });
    expect(c).toMatchObject({ tenantId: firm, name: 'Ana Rivera', phone: '+13125550199', email: 'ana@rivera-law.example', kinds: ['message', 'after_hours'] });
    expect(await repo.get(other, c.id)).toBeNull();
    expect((await repo.list(other)).map((x) => x.id)).not.toContain(c.id);
  });

  it('refuses a bad phone, a bad e-mail, an unknown kind, no kinds, and a contact with no way to reach them', async () => {
    const repo = createStaffContactsRepo(t.db);
    const bad = [
      [{ name: 'X', phone: '555-01', kinds: ['message'] }, 'phone'],
      [{ name: 'X', email: 'not-an-address', kinds: ['message'] }, 'email'],
      [{ name: 'X', phone: '+13125550111', kinds: ['messages'] }, 'kinds'],
      [{ name: 'X', phone: '+13125550111', kinds: [] }, 'kinds'],
      [{ name: 'X', kinds: ['message'] }, 'phone'],
      [{ name: '  ', phone: '+13125550111', kinds: ['message'] }, 'name'],
    ] as const;
    for (const [input, field] of bad) {
      const err = await repo.create(firm, { ...input, kinds: [...input.kinds] }).catch((e: unknown) => e);
      expect(err, JSON.stringify(input)).toBeInstanceOf(StaffContactInputError);
      expect((err as StaffContactInputError).field).toBe(field);
    }
  });

  it('updates only the given fields, clears a phone with null, and removes only the firm\'s own contacts', async () => {
    const repo = createStaffContactsRepo(t.db);
    const c = await repo.create(firm, { name: 'Bo Chen', phone: '+13125550123', email: 'bo@x.example', kinds: ['emergency'] });
    const u = await repo.update(firm, c.id, { phone: null, kinds: ['emergency', 'new_intake'] });
    expect(u).toMatchObject({ name: 'Bo Chen', phone: null, email: 'bo@x.example', kinds: ['emergency', 'new_intake'] });
    await expect(repo.update(firm, c.id, { email: null })).rejects.toThrow(/phone number or an e-mail/);
    expect(await repo.update(other, c.id, { name: 'Mallory' })).toBeNull();
    expect(await repo.remove(other, c.id)).toBe(false);
    expect(await repo.remove(firm, c.id)).toBe(true);
    expect(await repo.get(firm, c.id)).toBeNull();
  });

  it('sends a message to its kind, adds the after-hours contacts after hours, and never wakes them for emergencies', () => {
    const mk = (id: number, kinds: string[]) => ({ id, tenantId: 1, name: `c${id}`, phone: '+13125550100', email: null, kinds: kinds as never, createdAt: null, updatedAt: null });
    const all = [mk(1, ['message']), mk(2, ['emergency']), mk(3, ['after_hours']), mk(4, ['new_intake', 'after_hours'])];
    expect(recipientsFor(all, 'message', false).map((c) => c.id)).toEqual([1]);
    expect(recipientsFor(all, 'message', true).map((c) => c.id)).toEqual([1, 3, 4]);
    expect(recipientsFor(all, 'emergency', true).map((c) => c.id)).toEqual([2]);
    expect(recipientsFor(all, 'new_intake', false).map((c) => c.id)).toEqual([4]);
  });

  const message = (key: string, over: Partial<NewMessage> = {}): NewMessage => ({
    tenantId: firm, intakeId: null, callSid: null, idempotencyKey: key, kind: 'message', afterHours: false, existingClient: false,
    callerName: 'Sam Wilson', callbackPhone: '+13125551234', body: 'Please call me', recipients: [{ contactId: 1, name: 'Ana', phone: '+13125550199', email: null }], ...over,
  });

  it('records a message once per effect: a replay returns the stored row with the recipients it was taken with', async () => {
    const a = await recordMessage(t.db, message('CA1:e1'), new Date('2026-01-05T15:00:00Z'));
    const b = await recordMessage(t.db, message('CA1:e1', { recipients: [] }), new Date('2026-01-05T15:01:00Z'));
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.message).toMatchObject({ id: a.message.id, status: 'new', recipients: [{ contactId: 1, name: 'Ana' }], existingClient: false, afterHours: false });
    expect((await t.db('messages').where({ idempotency_key: 'CA1:e1' })).length).toBe(1);
  });

  it('lists new messages before handled ones, and keeps who handled a message first', async () => {
    const repo = createMessagesRepo(t.db);
    const ids: number[] = [];
    for (const k of ['CA2:e1', 'CA3:e1', 'CA4:e1']) ids.push((await recordMessage(t.db, message(k, { tenantId: other }), new Date('2026-01-06T15:00:00Z'))).message.id);
    const handledAt = new Date('2026-01-06T16:00:00Z');
    const h = await repo.setHandled(other, ids[2]!, true, null, handledAt);
    expect(h).toMatchObject({ status: 'handled', handledAt });
    expect((await repo.setHandled(other, ids[2]!, true, null, new Date('2026-01-07T00:00:00Z')))!.handledAt).toEqual(handledAt);
    const page = await repo.list(other, { limit: 10, offset: 0 });
    expect(page.total).toBe(3);
    expect(page.items.map((m) => [m.id, m.status])).toEqual([[ids[1], 'new'], [ids[0], 'new'], [ids[2], 'handled']]);
    expect((await repo.list(other, { status: 'new', limit: 10, offset: 0 })).items.map((m) => m.id)).toEqual([ids[1], ids[0]]);
    expect(await repo.setHandled(firm, ids[0]!, true, null, handledAt)).toBeNull();
    expect((await repo.setHandled(other, ids[2]!, false, null, handledAt))!).toMatchObject({ status: 'new', handledAt: null });
  });
});

