// A client's message in Clio: a note on the contact when there is no open matter, nothing when the number is unknown
// or shared by two contacts, and one task even when Clio created it but the answer was lost.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordMessage } from '../../src/intake/messages-repo.js';
import { enqueue } from '../../src/integrations/outbox/store.js';
import { describeEachDb } from '../helpers/db.js';
import { clioWorld, type ClioWorld } from './clio-world.js';
import { drain, seedCall } from './helpers.js';

describeEachDb('client messages in Clio on %s', (kind) => {
  let w: ClioWorld;
  let n = 0;
  beforeAll(async () => {
    w = await clioWorld(kind);
    const person = (id: number, name: string, phone: string) => ({ id, etag: '"x"', type: 'Person', name, first_name: name.split(' ')[0], last_name: name.split(' ')[1], primary_phone_number: phone, primary_email_address: null });
    w.clio.contacts.push(person(701, 'Nia Brooks', '+1 312 555 0701'), person(702, 'Ola Pratt', '312.555.0702'), person(703, 'Pat Shared', '312-555-0703'), person(704, 'Quin Shared', '(312) 555-0703'));
    w.clio.matters.push({ id: 801, etag: '"m"', client: { id: 702, name: 'Ola Pratt' }, description: 'Pratt divorce', status: 'open', display_number: '00801' });
  });
  afterAll(async () => {
    await w?.close();
  });

  async function clientMessage(phone: string): Promise<number> {
    const callSid = await seedCall(w.t.db, w.tenantId);
    const [intake] = (await w.t.db('intakes').insert({ call_sid: callSid, tenant_id: w.tenantId, flow_id: 'intake', status: 'partial', slots: '{}', confirmed_slots: '[]', created_at: w.clock.now(), updated_at: w.clock.now() }).returning('id')) as ({ id: number } | number)[];
    const intakeId = Number(typeof intake === 'object' ? intake.id : intake);
    const key = `clio-msg:${++n}`;
    const { message } = await recordMessage(w.t.db, { tenantId: w.tenantId, intakeId, callSid, idempotencyKey: key, kind: 'message', afterHours: false, existingClient: true, callerName: 'A Client', callbackPhone: phone, body: 'Call me back please', recipients: [] }, w.clock.now());
    await enqueue(w.t.db, { tenantId: w.tenantId, intakeId, callSid, action: 'take_message', args: { message_id: message.id }, idempotencyKey: key }, w.clock.now());
    await drain(w.t.db, w.worker, w.clock);
    return message.id;
  }
  const progressOf = async (messageId: number) => JSON.parse(String(((await w.t.db('outbox').where({ action: 'take_message' }).orderBy('id', 'desc')) as { args: string; progress: string }[]).find((r) => JSON.parse(r.args).message_id === messageId)!.progress)) as Record<string, unknown>;

  it('puts a contact note on a client who has no open matter', async () => {
    const id = await clientMessage('+13125550701');
    expect(w.clio.tasks).toHaveLength(0);
    const note = w.clio.notes.find((x) => String(x.subject).includes(`message ${id}`));
    expect(note).toMatchObject({ type: 'Contact', contact: { id: 701 } });
    expect(String(note!.detail)).toContain('Call me back please');
    expect(await progressOf(id)).toMatchObject({ clio: 'done', clioContactId: 701, clioMatterId: null });
  });

  it('leaves Clio alone when the number is unknown or belongs to two contacts', async () => {
    const before = [w.clio.tasks.length, w.clio.notes.length];
    const unknown = await clientMessage('+13125550999');
    const shared = await clientMessage('+13125550703');
    expect([w.clio.tasks.length, w.clio.notes.length]).toEqual(before);
    expect(await progressOf(unknown)).toMatchObject({ clio: 'no_client' });
    expect(await progressOf(shared)).toMatchObject({ clio: 'no_client' });
  });

  it('makes one task when Clio created it but answered 500: the retry finds it by its reference', async () => {
    let failed = false;
    w.clio.failure = (r) => (r.method === 'POST' && r.path === '/api/v4/tasks.json' && !failed ? ((failed = true), { status: 500, afterCommit: true }) : null);
    const id = await clientMessage('+13125550702');
    w.clio.failure = () => null;
    expect(failed).toBe(true);
    const tasks = w.clio.tasks.filter((t) => String(t.name).includes(`message ${id}`));
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ matter: { id: 801 }, assignee: { id: 7, type: 'User' } });
    expect(await progressOf(id)).toMatchObject({ clio: 'done', clioTaskId: tasks[0]!.id });
  });
});
