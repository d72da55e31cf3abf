import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDb, describeEachDb, type TestDb } from '../helpers/db.js';
import { apiWorld, type ApiWorld } from '../api/helpers.js';
import { LawPayFake } from '../fakes/lawpay-server.js';
import { ZapierFake } from '../fakes/zapier-server.js';
import { TwilioSmsFake } from './twilio-sms-fake.js';
import { ManualClock } from '../../src/integrations/clock.js';
import { createEffectRunner } from '../../src/integrations/effect-runner.js';
import { createWorker } from '../../src/integrations/index.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { countByStatus } from '../../src/integrations/outbox/store.js';
import { paymentUrl } from '../../src/integrations/lawpay/payments.js';
import { amountCents } from '../../src/integrations/payment-link.js';
import { operatingAccount } from '../../src/integrations/lawpay/client.js';
import type { EffectAction } from '../../src/flows/commands.js';
import type { Config } from '../../src/config.js';
import { silentLogger } from '../../src/observability/logger.js';
import { drain, seedCall, seedTenant, testConfig } from './helpers.js';

const AC = 'AC0123456789abcdef0123456789abcdef';
const log = silentLogger();

describe('payment link pieces', () => {
  it('fills the hosted-page template with dollars, reference and name, URL-encoded', () => {
    expect(paymentUrl('https://secure.lawpay.com/pages/smith/consult?amount={amount}&reference={reference}&name={name}', { amountCents: 15000, reference: 'intake-7', name: 'Ann Lee & Co' }))
      .toBe('https://secure.lawpay.com/pages/smith/consult?amount=150.00&reference=intake-7&name=Ann%20Lee%20%26%20Co');
    expect([amountCents({ amount: '$150' }), amountCents({ amount: 99.5 }), amountCents({ amount_cents: 2500 }), amountCents({ amount: 'free' }), amountCents({})]).toEqual([15000, 9950, 2500, null, null]);
  });

  it('accepts only an operating account for consultation fees, and says why otherwise', () => {
    expect(operatingAccount([{ id: 'op', name: 'Operating', primary: true, trust_account: false }]).id).toBe('op');
    expect(() => operatingAccount([{ id: 'tr', name: 'Trust', primary: true, trust_account: true }, { id: 'op', name: 'Operating' }])).toThrow(/"Trust" is a trust account; consultation fees are earned fees and must be paid into the operating account\. Use Operating \(op\)/);
    // trust_account may be absent: the name decides.
    expect(() => operatingAccount([{ id: 'x', name: 'IOLTA Client Funds', primary: true }])).toThrow(/trust account/);
    expect(operatingAccount([{ id: 'tr', name: 'Trust', primary: true, trust_account: true }, { id: 'op', name: 'Operating' }], 'op').id).toBe('op');
  });
});

describeEachDb('LawPay link by SMS, Zapier and SMS deliveries on %s', (kind) => {
  let t: TestDb;
  let lawpay: LawPayFake;
  let zapier: ZapierFake;
  let twilioFake: TwilioSmsFake;
  let tenantId: number;
  let config: Config;
  let clock: ManualClock;

  beforeAll(async () => {
    t = await createTestDb(kind);
    lawpay = new LawPayFake();
    zapier = new ZapierFake();
    await lawpay.start();
    await zapier.start();
    twilioFake = new TwilioSmsFake(AC, 'twilio-token');
    await twilioFake.start();
    tenantId = await seedTenant(t.db);
    config = testConfig({
      lawpayBaseUrl: lawpay.url, lawpaySecretKey: lawpay.secretKey, zapierHookUrl: zapier.hookUrl,
      lawpayPaymentUrlTemplate: 'https://secure.lawpay.com/pages/smith-law/consult?amount={amount}&reference={reference}&name={name}',
      twilioAccountSid: AC, twilioAuthToken: 'twilio-token', twilioSmsFrom: '+13125550100', twilioApiBaseUrl: twilioFake.url,
    });
  });
  afterAll(async () => {
    await lawpay?.stop();
    await zapier?.stop();
    await twilioFake?.stop();
    await t?.destroy();
  });
  beforeEach(async () => {
    clock = new ManualClock();
    await t.db('outbox').delete();
    lawpay.failure = () => null;
    zapier.failure = () => null;
    zapier.posts.length = 0;
    twilioFake.messages.length = 0;
    twilioFake.replies = [];
  });
  const smsBodies = () => twilioFake.messages;

  async function queued(action: EffectAction, args: Record<string, unknown>, slots: Record<string, unknown> = { caller_name: 'Ann Lee', callback_phone: '+13125550142' }) {
    const callSid = await seedCall(t.db, tenantId);
    const runner = createEffectRunner({ db: t.db, log, now: () => clock.now(), conflictCheck: async () => ({ status: 'clear', matches: [] }) });
    const r = await runner.run({ type: 'effect', id: 'e3', action, args }, { callSid, tenantId, slots });
    expect(r).toMatchObject({ ok: true, data: { queued: true } });
    const intake = (await createIntakeStore(t.db).byCall(callSid))!;
    return { callSid, intake, outboxId: Number(r.data!.outbox_id) };
  }
  const worker = (c: Config = config) => createWorker({ db: t.db, config: c, log, clock, lawpayPollMs: 0 });
  const row = async (id: number) => (await t.db('outbox').where({ id }).first()) as Record<string, unknown>;

  it('texts one prefilled payment link from the operating account and marks the intake link_sent', async () => {
    const { intake, outboxId } = await queued('lawpay.payment_link_sms', { amount: '150', firm: 'Smith Law' });
    await drain(t.db, worker(), clock);
    expect(smsBodies()).toHaveLength(1);
    expect(smsBodies()[0]).toMatchObject({ To: '+13125550142', From: '+13125550100' });
    expect(smsBodies()[0]!.Body).toBe(`Smith Law: to confirm your consultation, please pay the $150.00 fee securely here: https://secure.lawpay.com/pages/smith-law/consult?amount=150.00&reference=intake-${intake.id}&name=Ann%20Lee`);
    expect(lawpay.requests.some((r) => r.path === '/v1/merchant' && r.auth === `Basic ${Buffer.from(`${lawpay.secretKey}:`).toString('base64')}`)).toBe(true);
    expect(await row(outboxId)).toMatchObject({ status: 'delivered' });
    expect((await createIntakeStore(t.db).byId(intake.id))!.paymentStatus).toBe('link_sent');
  });

  it('refuses to send a fee link when the account is the trust account: dead letter with the reason, no SMS', async () => {
    const saved = lawpay.accounts;
    lawpay.accounts = [{ id: 'acct_trust', name: 'Trust', primary: true, trust_account: true }];
    const { outboxId } = await queued('lawpay.payment_link_sms', { amount: 150 });
    await drain(t.db, worker(), clock);
    lawpay.accounts = saved;
    expect(smsBodies()).toHaveLength(0);
    const r = await row(outboxId);
    expect(r.status).toBe('dead');
    expect(String(r.last_error)).toMatch(/^lawpay: the LawPay account "Trust" is a trust account/);
  });

  it('retries a Twilio 500 and sends exactly one message; a refused number (400) is a dead letter', async () => {
    twilioFake.replies = [{ status: 500 }, { status: 201 }, { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." }];
    const a = await queued('sms.send', { body: 'Your appointment is confirmed.' });
    await drain(t.db, worker(), clock);
    expect(await row(a.outboxId)).toMatchObject({ status: 'delivered' });
    const b = await queued('sms.send', { body: 'Hello', to: '+13125550199' });
    await drain(t.db, worker(), clock);
    expect(smsBodies().map((x) => x.Body)).toEqual(['Your appointment is confirmed.']);
    expect(twilioFake.replies).toEqual([]);
    const dead = await row(b.outboxId);
    expect(dead.status).toBe('dead');
    expect(String(dead.last_error)).toContain('error 21211');
  });

  it('marks the intake paid from LawPay events (polling), once', async () => {
    const { intake } = await queued('webhook', {});
    lawpay.pay(`intake-${intake.id}`, 15000, 'transaction.failed');
    const { pollPaymentEvents } = await import('../../src/integrations/lawpay/payments.js');
    const { createLawPayClient } = await import('../../src/integrations/lawpay/client.js');
    const store = createIntakeStore(t.db);
    expect(await pollPaymentEvents(createLawPayClient(config, clock), store, clock, log)).toBe(0);
    lawpay.pay(`intake-${intake.id}`, 15000);
    lawpay.pay('someone-else-1', 15000);
    expect(await pollPaymentEvents(createLawPayClient(config, clock), store, clock, log)).toBe(1);
    expect((await store.byId(intake.id))!.paymentStatus).toBe('paid');
  });

  it('posts the intake JSON to the Zapier hook, retrying a 500 and honouring a 429 Retry-After, exactly once', async () => {
    const failures = [{ status: 500 }, { status: 429, retryAfterS: 300 }];
    zapier.failure = () => failures.shift() ?? null;
    const { callSid, outboxId } = await queued('webhook', {});
    const w = worker();
    await w.runOnce();
    clock.advance(10_000);
    await w.runOnce();
    const r = await row(outboxId);
    expect(r.status).toBe('pending');
    expect(String(r.last_error)).toBe('zapier: rate limited (429)');
    const { rowDate } = await import('../../src/intake/rows.js');
    expect(rowDate(r.next_attempt_at)!.getTime() - clock.now().getTime()).toBeGreaterThanOrEqual(300_000);
    await drain(t.db, w, clock);
    expect(zapier.posts).toHaveLength(1);
    expect(zapier.posts[0]).toMatchObject({ event: 'intake', idempotency_key: `${callSid}:e3`, intake: { call_sid: callSid, caller_name: 'Ann Lee', callback_phone: '+13125550142', status: 'partial' }, call: { call_sid: callSid, from: '+13125550142' } });
  });

  it('gives up at once on a deleted hook (410) and says where to look', async () => {
    zapier.failure = () => ({ status: 410 });
    const { outboxId } = await queued('webhook', {});
    await drain(t.db, worker(), clock);
    expect(await row(outboxId)).toMatchObject({ status: 'dead', last_error: 'zapier: rejected with 410 (not retryable)' });
    expect(await countByStatus(t.db)).toMatchObject({ dead: 1 });
  });

  it('texts a taken message to the on-call number, and posts it only to a hook the flow names', async () => {
    await queued('take_message', { notify: '+13125550177', urgent: true }, { caller_name: 'Bo Diaz', callback_phone: '+13125550199', message: 'Please call me about my hearing tomorrow' });
    await drain(t.db, worker(), clock);
    expect(smsBodies()).toEqual([expect.objectContaining({ To: '+13125550177', Body: expect.stringMatching(/^EMERGENCY for .+ via HERMES: Bo Diaz, call back \+13125550199\. Please call me about my hearing tomorrow$/) })]);
    expect(zapier.posts).toHaveLength(0);
    await queued('take_message', { url: zapier.hookUrl });
    await drain(t.db, worker(), clock);
    expect(zapier.posts).toEqual([expect.objectContaining({ event: 'message', intake: expect.objectContaining({ caller_name: 'Ann Lee' }) })]);
    expect(await countByStatus(t.db)).toMatchObject({ delivered: 2, dead: 0 });
  });
});

describeEachDb('LawPay webhook on %s', (kind) => {
  let world: ApiWorld;
  let lawpay: LawPayFake;
  beforeAll(async () => {
    lawpay = new LawPayFake();
    await lawpay.start();
    world = await apiWorld(kind, { lawpayBaseUrl: lawpay.url, lawpaySecretKey: lawpay.secretKey });
  });
  afterAll(async () => {
    await world?.close();
    await lawpay?.stop();
  });

  it('marks the intake paid from what LawPay\'s API says, not from the webhook body', async () => {
    const callSid = await seedCall(world.tdb.db, world.firmA.id);
    const store = createIntakeStore(world.tdb.db);
    await store.slot(callSid, 'caller_name', 'Ann Lee', true);
    const intake = (await store.byCall(callSid))!;
    const forged = { id: 'evt_forged', type: 'transaction.completed', data: { reference: `intake-${intake.id}`, status: 'COMPLETED' } };
    let res = await world.app.inject({ method: 'POST', url: '/integrations/lawpay/webhook', payload: forged });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: true, matched: 0 });
    expect((await store.byId(intake.id))!.paymentStatus).toBeNull();
    lawpay.pay(`intake-${intake.id}`, 15000);
    res = await world.app.inject({ method: 'POST', url: '/integrations/lawpay/webhook', payload: { id: 'evt_x', type: 'transaction.completed' } });
    expect(res.json()).toEqual({ received: true, matched: 1 });
    expect((await store.byId(intake.id))!.paymentStatus).toBe('paid');
    lawpay.failure = () => ({ status: 503 });
    res = await world.app.inject({ method: 'POST', url: '/integrations/lawpay/webhook', payload: {} });
    expect(res.statusCode).toBe(503);
  });
});
