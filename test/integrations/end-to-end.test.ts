import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { loadFlow, type LoadedFlow } from '../../src/flows/index.js';
import { readScript } from '../../src/simulate/script.js';
import { createEffectRunner, createIntakeRecorder, createWorker } from '../../src/integrations/index.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { countByStatus } from '../../src/integrations/outbox/store.js';
import { silentLogger } from '../../src/observability/logger.js';
import { deliveryWorld, type DeliveryWorld } from './delivery-world.js';
import { drain } from './helpers.js';
import { drive } from './drive.js';

const AC = 'AC00000000000000000000000000000001';

describeEachDb('a completed simulated call on %s', (kind) => {
  let w: DeliveryWorld;
  let flow: LoadedFlow;
  beforeAll(async () => {
    w = await deliveryWorld(kind, { accountSid: AC, paymentUrlTemplate: 'https://secure.lawpay.com/pages/alpha-law/consult?amount={amount}&reference={reference}&name={name}' });
    flow = await loadFlow('flows/intake.yaml');
  });
  afterAll(async () => {
    await w?.closeAll();
  });

  it('yields one intake, one contact, matter, note and call log in Clio, one SMS with a payment link and one Zapier post', async () => {
    const log = silentLogger();
    const script = await readScript('flows/tests/pi-english-basic.yaml');
    const callSid = 'CA0e2e0000000000000000000000000001';
    const effects = createEffectRunner({ db: w.t.db, config: w.config, log, clock: w.clock, clio: w.access });
    // The flow queues the Clio intake and the LawPay link; the recorder queues the Zapier post when the call ends.
    const recorder = createIntakeRecorder(w.t.db, { config: w.config, now: () => w.clock.now() });
    const result = await drive({ db: w.t.db, flow, script, callSid, tenantId: w.tenantId, recorder, effects });
    expect(result.outcome).toBe('completed');
    expect(result.effects).toEqual(expect.arrayContaining(['clio.conflict_check', 'payment.link_sms', 'clio.create_intake']));

    const worker = createWorker({ db: w.t.db, config: w.config, log, clock: w.clock, clio: w.access, creds: w.creds, lawpayPollMs: 0 });
    await drain(w.t.db, worker, w.clock);

    const intakes = await w.t.db('intakes');
    expect(intakes).toHaveLength(1);
    const intake = (await createIntakeStore(w.t.db).byCall(callSid))!;
    expect(intake).toMatchObject({ status: 'complete', outcome: 'completed', callerName: 'Maria Lopez', callbackPhone: '+13125551234', email: 'maria.lopez@example.com', practiceArea: 'personal_injury', incidentDate: '2026-11-20', isEmergency: false, paymentStatus: 'link_sent' });
    expect([w.clio.contacts.length, w.clio.matters.length, w.clio.notes.length, w.clio.communications.length]).toEqual([1, 1, 1, 1]);
    expect(w.clio.contacts[0]).toMatchObject({ first_name: 'Maria', last_name: 'Lopez' });
    expect(String(w.clio.notes[0]!.detail)).toContain('Caller: Hi, my name is Maria Lopez');
    // Two texts to the caller: the payment link, then the text after the call with the next step and the same link.
    const link = `https://secure.lawpay.com/pages/alpha-law/consult?amount=150.00&reference=intake-${intake.id}&name=Maria%20Lopez`;
    expect(w.twilio.messages.map((m) => m.To)).toEqual(['+13125551234', '+13125551234']);
    expect(w.twilio.messages[0]!.Body).toContain(link);
    expect(w.twilio.messages[1]!.Body).toMatch(/: Thank you for calling\. An attorney will review your information and call you back at this number\. To confirm your consultation, please pay the \$150\.00 fee here: /);
    expect(w.twilio.messages[1]!.Body).toContain(link);
    expect(w.zapier.posts).toHaveLength(1);
    expect(w.zapier.posts[0]).toMatchObject({ event: 'intake', intake: { call_sid: callSid, status: 'complete', caller_name: 'Maria Lopez' } });
    expect(await countByStatus(w.t.db)).toMatchObject({ delivered: 4, pending: 0, dead: 0 });
  });
});
