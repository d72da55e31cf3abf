// A taken message reaches people, end to end: the bundled flow takes it through a real effect runner (recipients
// looked up then), the worker delivers it through the real twilio SDK (to the local Twilio fake), real SMTP (to a
// local smtp-server) and the Clio fake, and the caller was told exactly what was queued.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import { createEffectRunner, createIntakeRecorder, createWorker } from '../../src/integrations/index.js';
import { createMessagesRepo } from '../../src/intake/messages-repo.js';
import { createStaffContactsRepo } from '../../src/intake/staff-contacts-repo.js';
import { countByStatus } from '../../src/integrations/outbox/store.js';
import { silentLogger } from '../../src/observability/logger.js';
import { readScript } from '../../src/simulate/script.js';
import { describeEachDb } from '../helpers/db.js';
import { clioWorld, type ClioWorld } from './clio-world.js';
import { drive } from './drive.js';
import { drain, seedTenant } from './helpers.js';
import { SmtpSink } from './smtp-sink.js';
import { TwilioSmsFake } from './twilio-sms-fake.js';

const AC = 'AC00000000000000000000000000000042';
/** The scripted caller (flows/tests/existing-client-message.yaml), who is texted the next step after the call. */
const CALLER = '+13125551234';

describeEachDb('taken messages reach the firm on %s', (kind) => {
  let w: ClioWorld;
  let twilio: TwilioSmsFake;
  let smtp: SmtpSink;
  let flow: LoadedFlow;
  const log = silentLogger();
  /** Texts to the firm's people since `from` (the caller's own text after the call left out). */
  const staffTexts = (from: number) => twilio.messages.slice(from).filter((x) => x.To !== CALLER);

  beforeAll(async () => {
    twilio = new TwilioSmsFake(AC, 'tw-token');
    smtp = new SmtpSink();
    await Promise.all([twilio.start(), smtp.start()]);
    w = await clioWorld(kind, {
      configOverrides: {
        twilioAccountSid: AC, twilioAuthToken: 'tw-token', twilioSmsFrom: '+13125550100', twilioApiBaseUrl: twilio.url,
        smtpUrl: smtp.url, smtpFrom: 'HERMES <hermes@rivera-law.example>',
      },
    });
    flow = await loadFlow('flows/intake.yaml');
    const staff = createStaffContactsRepo(w.t.db);
    await staff.create(w.tenantId, { name: 'Ana Front Desk', phone: '+13125550181', email: 'ana@rivera-law.example', kinds: ['message', 'new_intake'] });
    await staff.create(w.tenantId, { name: 'Bo On Call', phone: '+13125550182', email: 'bo@rivera-law.example', kinds: ['emergency'] });
    await staff.create(w.tenantId, { name: 'Cy Nights', email: 'cy@rivera-law.example', kinds: ['after_hours'] });
    // The caller is a client in Clio, stored the way staff typed the number, with a closed and an open matter.
    w.clio.contacts.push({ id: 501, etag: '"a"', type: 'Person', name: 'Sam Wilson', first_name: 'Sam', last_name: 'Wilson', primary_phone_number: '(312) 555-1234', primary_email_address: null });
    w.clio.contacts.push({ id: 502, etag: '"b"', type: 'Person', name: 'Other Person', first_name: 'Other', last_name: 'Person', primary_phone_number: '312-555-9876', primary_email_address: null });
    w.clio.matters.push({ id: 601, etag: '"c"', client: { id: 501, name: 'Sam Wilson' }, description: 'Old lease dispute', status: 'closed', display_number: '00601' });
    w.clio.matters.push({ id: 602, etag: '"d"', client: { id: 501, name: 'Sam Wilson' }, description: 'Wilson v. Acme', status: 'open', display_number: '00602' });
    w.clio.matters.push({ id: 603, etag: '"e"', client: { id: 502, name: 'Other Person' }, description: 'Person estate', status: 'open', display_number: '00603' });
  });
  afterAll(async () => {
    await w?.close();
    await Promise.all([twilio?.stop(), smtp?.stop()]);
  });

  const agentLines = async (callSid: string) => ((await w.t.db('turns').where({ call_sid: callSid, speaker: 'agent' }).orderBy('seq')) as { text: string }[]).map((r) => r.text);

  async function call(script: string, callSid: string, tenantId = w.tenantId) {
    const effects = createEffectRunner({ db: w.t.db, config: w.config, log, clock: w.clock, clio: w.access });
    const recorder = createIntakeRecorder(w.t.db, { config: w.config, now: () => w.clock.now() });
    const s = await readScript(script);
    w.clock.set(new Date(s.caller.at)); // the call happens when the script says (due dates, after hours)
    return drive({ db: w.t.db, flow, script: s, callSid, tenantId, recorder, effects });
  }

  const worker = () => createWorker({ db: w.t.db, config: w.config, log, clock: w.clock, clio: w.access, creds: w.creds, lawpayPollMs: 0, settings: { attemptTimeoutMs: 10_000 } });

  it("an existing client's message: 1 SMS and 1 e-mail to the message contact, 1 Clio task on the open matter, once each despite a retry", async () => {
    const callSid = 'CA0000000000000000000000000000e001';
    const r = await call('flows/tests/existing-client-message.yaml', callSid);
    expect(r.outcome).toBe('message');
    expect(r.slots.message_recipients).toBe(1);
    const lines = await agentLines(callSid);
    expect(lines.at(-1)).toContain("I've sent your message to our team");

    // The mail server asks to try again later once: the text goes now, the e-mail on the retry, and nothing twice.
    smtp.refuse = [451];
    const before = { sms: twilio.messages.length, mail: smtp.mails.length };
    await drain(w.t.db, worker(), w.clock);

    const sms = staffTexts(before.sms);
    expect(sms).toHaveLength(1);
    // The caller gets their own text after the call: the next step, once.
    expect(twilio.messages.slice(before.sms).filter((x) => x.To === CALLER).map((x) => x.Body)).toEqual([expect.stringContaining('We have your message, and someone from the firm will call you back.')]);
    expect(sms[0]).toMatchObject({ To: '+13125550181', From: '+13125550100' });
    expect(sms[0]!.Body).toContain('Sam Wilson (client), call back +13125551234');
    expect(sms[0]!.Body).toContain('Please call me about my deposition');
    const mails = smtp.mails.slice(before.mail);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: ['ana@rivera-law.example'], from: 'hermes@rivera-law.example', subject: 'Message from Sam Wilson (client)' });
    expect(mails[0]!.text).toContain('Please call me about my deposition');
    expect(w.clio.tasks).toHaveLength(1);
    expect(w.clio.tasks[0]).toMatchObject({ matter: { id: 602 }, assignee: { id: 7, type: 'User' }, priority: 'Normal', status: 'pending', due_at: '2026-11-24' });
    expect(String(w.clio.tasks[0]!.name)).toContain('Call back Sam Wilson');
    expect(String(w.clio.tasks[0]!.description)).toContain('Please call me about my deposition');

    const row = (await w.t.db('outbox').where({ call_sid: callSid, action: 'take_message' }).first()) as { status: string; attempts: number };
    expect(row).toMatchObject({ status: 'delivered', attempts: 2 });
    const [m] = (await createMessagesRepo(w.t.db).list(w.tenantId, { limit: 50, offset: 0 })).items.filter((x) => x.callSid === callSid);
    expect(m).toMatchObject({ kind: 'message', status: 'new', existingClient: true, callerName: 'Sam Wilson', callbackPhone: '+13125551234', recipients: [{ name: 'Ana Front Desk' }] });
  });

  it('an unanswered emergency pages the emergency contacts and the on-call list (once each), and the caller hears it went to the attorney on call', async () => {
    const callSid = 'CA0000000000000000000000000000e002';
    const r = await call('flows/tests/emergency-unanswered.yaml', callSid);
    expect(r.outcome).toBe('message');
    // The emergency contact, and the flow's on-call number (notify), who is not a staff contact of this firm.
    expect(r.slots.message_recipients).toBe(2);
    expect((await agentLines(callSid)).at(-1)).toContain("I've sent your message to the attorney on call");
    const before = { sms: twilio.messages.length, mail: smtp.mails.length, tasks: w.clio.tasks.length };
    await drain(w.t.db, worker(), w.clock);
    expect(staffTexts(before.sms).map((x) => x.To).sort()).toEqual(['+13125550182', '+13125550199']);
    expect(twilio.messages.at(-1)!.Body).toMatch(/^EMERGENCY for .* via HERMES: Mark Evans, call back \+13125551234\. My brother is being held at the county jail/);
    expect(smtp.mails.slice(before.mail).map((x) => [x.to[0], x.subject])).toEqual([['bo@rivera-law.example', 'EMERGENCY call from Mark Evans']]);
    // Not a client: nothing goes to Clio.
    expect(w.clio.tasks.length).toBe(before.tasks);
  });

  it('a firm with no staff contacts: the caller hears an honest line, nothing is sent, and the message is stored as new', async () => {
    const lonely = await seedTenant(w.t.db, 'lonely-law');
    const callSid = 'CA0000000000000000000000000000e003';
    const r = await call('flows/tests/existing-client-message.yaml', callSid, lonely);
    expect(r.outcome).toBe('message');
    expect(r.slots.message_recipients).toBe(0);
    const last = (await agentLines(callSid)).at(-1)!;
    expect(last).toContain("I've saved your message for the office; someone will call you back on the next business day");
    expect(last).not.toContain('sent your message');
    const before = { sms: twilio.messages.length, mail: smtp.mails.length, tasks: w.clio.tasks.length };
    await drain(w.t.db, worker(), w.clock);
    expect([staffTexts(before.sms).length, smtp.mails.length, w.clio.tasks.length]).toEqual([0, before.mail, before.tasks]);
    const page = await createMessagesRepo(w.t.db).list(lonely, { limit: 50, offset: 0 });
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ status: 'new', callSid, recipients: [], body: 'Please call me about my deposition' });
    expect(await countByStatus(w.t.db)).toMatchObject({ pending: 0, dead: 0 });
  });

  it('after hours a message also reaches the after-hours contact', async () => {
    const script = await readScript('flows/tests/existing-client-message.yaml');
    const night = { ...script, caller: { ...script.caller, at: '2026-11-24T21:30:00-05:00' } };
    const callSid = 'CA0000000000000000000000000000e004';
    w.clock.set(new Date(night.caller.at));
    const effects = createEffectRunner({ db: w.t.db, config: w.config, log, clock: w.clock, clio: w.access });
    const recorder = createIntakeRecorder(w.t.db, { config: w.config, now: () => w.clock.now() });
    const r = await drive({ db: w.t.db, flow, script: night, callSid, tenantId: w.tenantId, recorder, effects });
    expect(r.slots.message_recipients).toBe(2);
    const before = smtp.mails.length;
    await drain(w.t.db, worker(), w.clock);
    expect(smtp.mails.slice(before).flatMap((x) => x.to).sort()).toEqual(['ana@rivera-law.example', 'cy@rivera-law.example']);
  });

  it('one recipient Twilio refuses for good does not hold back the others; the row is dead with the reason, nothing is resent', async () => {
    const firm = await seedTenant(w.t.db, 'two-desks');
    const staff = createStaffContactsRepo(w.t.db);
    await staff.create(firm, { name: 'Desk One', phone: '+13125550191', email: 'one@two-desks.example', kinds: ['message'] });
    await staff.create(firm, { name: 'Desk Two', phone: '+13125550192', kinds: ['message'] });
    const callSid = 'CA0000000000000000000000000000e005';
    const r = await call('flows/tests/existing-client-message.yaml', callSid, firm);
    expect(r.slots.message_recipients).toBe(2);
    const before = { sms: twilio.messages.length, mail: smtp.mails.length };
    twilio.replies = [{ status: 400, code: 21211, message: "The 'To' number +13125550191 is not a valid phone number." }];
    await drain(w.t.db, worker(), w.clock);
    expect(staffTexts(before.sms).map((x) => x.To)).toEqual(['+13125550192']);
    expect(smtp.mails.slice(before.mail).map((x) => x.to[0])).toEqual(['one@two-desks.example']);
    const row = (await w.t.db('outbox').where({ call_sid: callSid, action: 'take_message' }).first()) as { status: string; attempts: number; last_error: string };
    expect(row.status).toBe('dead');
    expect(row.attempts).toBe(1);
    expect(row.last_error).toMatch(/Twilio refused the message \(error 21211\)/);
  });

  it('a Spanish caller hears the same truth in Spanish: sent to the attorney on call, with or without staff contacts (the on-call list is paged)', async () => {
    const base = await readScript('flows/tests/emergency-unanswered.yaml');
    const spanish = {
      ...base,
      opening: 'Hola, me llamo Pedro Sánchez',
      answers: { ...base.answers, is_emergency: 'sí', existing_client: 'no', callback_phone: 'tres uno dos cinco cinco cinco uno dos tres cuatro', description: 'Mi hermano está detenido en la cárcel del condado' },
    };
    const effects = createEffectRunner({ db: w.t.db, config: w.config, log, clock: w.clock, clio: w.access });
    const recorder = createIntakeRecorder(w.t.db, { config: w.config, now: () => w.clock.now() });
    const nobody = await seedTenant(w.t.db, 'nadie-law');
    const cases = [[w.tenantId, 'CA0000000000000000000000000000e006', 'Envié su mensaje al abogado de guardia'], [nobody, 'CA0000000000000000000000000000e007', 'Envié su mensaje al abogado de guardia']] as const;
    for (const [tenantId, callSid, line] of cases) {
      w.clock.set(new Date(spanish.caller.at));
      const r = await drive({ db: w.t.db, flow, script: spanish, callSid, tenantId, recorder, effects });
      expect(r.outcome).toBe('message');
      expect((await agentLines(callSid)).at(-1)).toContain(line);
    }
    await drain(w.t.db, worker(), w.clock);
  });
});
