// Consultation fees through Stripe, end to end over Stripe's wire format: a firm connects its account through the
// admin API (key checked with GET /v1/account), the bundled flow's fee effect becomes one Checkout Session whose URL is
// texted to the caller, and Stripe's signed webhook marks the intake paid. LawPay stays the provider for a firm that
// did not connect Stripe.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { apiWorld, tokenFor, type ApiWorld } from '../api/helpers.js';
import { StripeFake } from '../fakes/stripe-server.js';
import { LawPayFake } from '../fakes/lawpay-server.js';
import { TwilioSmsFake } from './twilio-sms-fake.js';
import { ManualClock } from '../../src/integrations/clock.js';
import { createEffectRunner } from '../../src/integrations/effect-runner.js';
import { createWorker } from '../../src/integrations/index.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { createCredentialStore } from '../../src/integrations/credentials.js';
import { stripeFailure } from '../../src/integrations/stripe/client.js';
import type { EffectAction } from '../../src/flows/commands.js';
import type { Config } from '../../src/config.js';
import { silentLogger } from '../../src/observability/logger.js';
import { drain, ENCRYPTION_KEY, seedCall } from './helpers.js';

const AC = 'AC0123456789abcdef0123456789abcdef';
const WHSEC_A = 'whsec_firmAlphaSigningSecret';
const WHSEC_B = 'whsec_firmBetaSigningSecret';
const log = silentLogger();

describe('Stripe errors as outbox decisions', () => {
  it('a refusal is permanent and says why; rate limits and 5xx retry; a bad key asks for a reconnect', () => {
    const now = new Date();
    const e = (type: string, statusCode: number, message: string, code?: string) => Object.assign(new Error(message), { type, statusCode, code, headers: { 'retry-after': '7' } });
    const refused = stripeFailure(e('StripeInvalidRequestError', 400, 'Invalid integer', 'parameter_invalid_integer'), now);
    expect([refused.retryable, refused.message]).toEqual([false, 'stripe: Stripe answered 400: parameter_invalid_integer: Invalid integer']);
    const limited = stripeFailure(e('StripeRateLimitError', 429, 'Too many requests'), now);
    expect([limited.retryable, limited.retryAfterMs]).toEqual([true, 7000]);
    expect(stripeFailure(e('StripeAPIError', 500, 'boom'), now).retryable).toBe(true);
    expect(stripeFailure(e('StripeAuthenticationError', 401, 'Invalid API Key'), now)).toMatchObject({ retryable: false, message: expect.stringMatching(/connect the firm's Stripe account again/) });
  });
});

describeEachDb('Stripe consultation fee on %s', (kind) => {
  let w: ApiWorld;
  let stripe: StripeFake;
  let lawpay: LawPayFake;
  let sms: TwilioSmsFake;
  let config: Config;
  let clock: ManualClock;

  beforeAll(async () => {
    stripe = new StripeFake();
    lawpay = new LawPayFake();
    sms = new TwilioSmsFake(AC, 'twilio-token');
    await Promise.all([stripe.start(), lawpay.start(), sms.start()]);
    const base = { encryptionKey: ENCRYPTION_KEY, publicUrl: 'https://hermes.example.com', stripeApiUrl: stripe.url, lawpayBaseUrl: lawpay.url, lawpaySecretKey: lawpay.secretKey,
      lawpayPaymentUrlTemplate: 'https://secure.lawpay.com/pages/x/consult?amount={amount}&reference={reference}', twilioAccountSid: AC, twilioAuthToken: 'twilio-token', twilioSmsFrom: '+13125550100', twilioApiBaseUrl: sms.url } satisfies Partial<Config>;
    w = await apiWorld(kind, base);
    config = w.config;
  });
  afterAll(async () => {
    await w?.close();
    await Promise.all([stripe?.stop(), lawpay?.stop(), sms?.stop()]);
  });
  beforeEach(async () => {
    clock = new ManualClock();
    await w.tdb.db('outbox').delete();
    sms.messages.length = 0;
    stripe.requests.length = 0;
    stripe.failure = () => null;
  });

  const connect = async (firm: ApiWorld['firmA'], payload: Record<string, unknown>) =>
    w.app.inject({ method: 'POST', url: '/api/integrations/stripe/connect', headers: { authorization: `Bearer ${await tokenFor(w.app, firm.users.owner.email)}` }, payload });

  async function queued(tenantId: number, action: EffectAction = 'payment.link_sms', args: Record<string, unknown> = { amount: '150', firm: 'Alpha Law', description: 'Consultation fee' }) {
    const callSid = await seedCall(w.tdb.db, tenantId);
    const runner = createEffectRunner({ db: w.tdb.db, log, now: () => clock.now(), conflictCheck: async () => ({ status: 'clear', matches: [] }) });
    const r = await runner.run({ type: 'effect', id: 'fee', action, args }, { callSid, tenantId, slots: { caller_name: 'Ann Lee', callback_phone: '+13125550142', email: 'ann@example.com' } });
    expect(r).toMatchObject({ ok: true, data: { queued: true } });
    return { intake: (await createIntakeStore(w.tdb.db).byCall(callSid))!, outboxId: Number(r.data!.outbox_id) };
  }
  const worker = () => createWorker({ db: w.tdb.db, config, log, clock, lawpayPollMs: 0 });
  const outbox = async (id: number) => (await w.tdb.db('outbox').where({ id }).first()) as Record<string, unknown>;
  const webhook = (path: string, body: { payload: string; signature: string }) =>
    w.app.inject({ method: 'POST', url: path, headers: { 'content-type': 'application/json', 'stripe-signature': body.signature }, payload: body.payload });

  it('connecting checks the key with Stripe, needs the operating-account statement, and never shows the key again', async () => {
    const missing = await connect(w.firmA, { secretKey: stripe.secretKey });
    expect(missing.statusCode).toBe(400);
    const publishable = await connect(w.firmA, { secretKey: 'pk_test_51HermesFakeKey0000', operatingAccount: true });
    expect([publishable.statusCode, publishable.json().message]).toEqual([400, expect.stringMatching(/publishable key/)]);
    const wrong = await connect(w.firmA, { secretKey: 'sk_test_51SomeoneElsesKey000', operatingAccount: true });
    expect([wrong.statusCode, wrong.json().message]).toEqual([400, expect.stringMatching(/Stripe refused the key/)]);

    const ok = await connect(w.firmA, { secretKey: stripe.secretKey, webhookSecret: WHSEC_A, operatingAccount: true });
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ provider: 'stripe', accountId: 'acct_1HermesFirm', name: 'Smith Law LLC', livemode: false, webhookUrl: `https://hermes.example.com/integrations/stripe/webhook/${w.firmA.id}`, webhookConfigured: true });
    expect(stripe.requests.filter((r) => r.path === '/v1/account').map((r) => r.auth)).toContain(`Bearer ${stripe.secretKey}`);

    const list = await w.app.inject({ method: 'GET', url: '/api/integrations', headers: { authorization: `Bearer ${await tokenFor(w.app, w.firmA.users.owner.email)}` } });
    const entry = (list.json() as { provider: string; connected: boolean; meta: Record<string, unknown> }[]).find((i) => i.provider === 'stripe');
    expect(entry).toMatchObject({ connected: true, meta: { accountId: 'acct_1HermesFirm', livemode: false } });
    expect(list.body).not.toContain(stripe.secretKey);
    expect(list.body).not.toContain(WHSEC_A);
    const audited = await w.tdb.db('audit_log').where({ tenant_id: w.firmA.id, action: 'integration.connected', target: 'stripe' });
    expect(audited).toHaveLength(1);
  });

  it('texts one Checkout Session link for the fee, tied to the intake, and a retry after an SMS failure reuses it', async () => {
    const { intake, outboxId } = await queued(w.firmA.id);
    sms.replies = [{ status: 500 }, { status: 201 }];
    await drain(w.tdb.db, worker(), clock);

    const creates = stripe.requests.filter((r) => r.method === 'POST' && r.path === '/v1/checkout/sessions');
    expect(creates).toHaveLength(1);
    expect(creates[0]!.body).toMatchObject({
      mode: 'payment', client_reference_id: `intake-${intake.id}`, customer_email: 'ann@example.com', success_url: 'https://hermes.example.com/integrations/stripe/paid',
      line_items: [{ quantity: '1', price_data: { currency: 'usd', unit_amount: '15000', product_data: { name: 'Consultation fee' } } }],
      metadata: { intake_id: String(intake.id), reference: `intake-${intake.id}`, call_sid: intake.callSid },
      payment_intent_data: { metadata: { intake_id: String(intake.id) } },
    });
    expect(creates[0]!.idempotencyKey).toMatch(/:checkout$/);
    const [session] = [...stripe.sessions.values()];
    expect(sms.messages.map((m) => m.Body)).toEqual([`Alpha Law: to confirm your consultation, please pay the $150.00 fee securely here: ${String(session!.url)}`]);
    expect(sms.messages[0]).toMatchObject({ To: '+13125550142' });
    expect(await outbox(outboxId)).toMatchObject({ status: 'delivered' });
    expect((await createIntakeStore(w.tdb.db).byId(intake.id))!.paymentStatus).toBe('link_sent');
    expect(lawpay.requests).toHaveLength(0);
  });

  it('the signed webhook marks the intake paid once, whichever event comes first; a forged or other-firm event changes nothing', async () => {
    const { intake } = await queued(w.firmA.id);
    await drain(w.tdb.db, worker(), clock);
    const sessionId = [...stripe.sessions.values()].find((s) => s.client_reference_id === `intake-${intake.id}`)!.id as string;
    const [completed, succeeded] = stripe.pay(sessionId, WHSEC_A);

    const forged = await webhook(`/integrations/stripe/webhook/${w.firmA.id}`, { payload: completed!.payload, signature: stripe.signed(JSON.parse(completed!.payload), 'whsec_wrong').signature });
    expect(forged.statusCode).toBe(400);
    const tampered = await webhook(`/integrations/stripe/webhook/${w.firmA.id}`, { payload: completed!.payload.replace(`intake-${intake.id}`, 'intake-1'), signature: completed!.signature });
    expect(tampered.statusCode).toBe(400);
    expect((await createIntakeStore(w.tdb.db).byId(intake.id))!.paymentStatus).toBe('link_sent');

    // Firm B, with a Stripe account and webhook secret of its own, cannot mark firm A's intake paid with a valid signature.
    await createCredentialStore(w.tdb.db, ENCRYPTION_KEY).put(w.firmB.id, 'stripe', { secretKey: 'sk_test_51BetaFirmKey0000000', webhookSecret: WHSEC_B }, { meta: { accountId: 'acct_beta' } });
    const viaB = await webhook(`/integrations/stripe/webhook/${w.firmB.id}`, stripe.signed(JSON.parse(completed!.payload), WHSEC_B));
    expect([viaB.statusCode, viaB.json()]).toEqual([200, { received: true, outcome: 'not ours' }]);
    expect((await createIntakeStore(w.tdb.db).byId(intake.id))!.paymentStatus).toBe('link_sent');

    const first = await webhook(`/integrations/stripe/webhook/${w.firmA.id}`, succeeded!);
    expect([first.statusCode, first.json()]).toEqual([200, { received: true, outcome: 'paid' }]);
    const again = await webhook(`/integrations/stripe/webhook/${w.firmA.id}`, completed!);
    expect(again.json()).toEqual({ received: true, outcome: 'already paid' });
    const stored = (await createIntakeStore(w.tdb.db).byId(intake.id))!;
    expect([stored.paymentStatus, stored.paidAt instanceof Date]).toEqual(['paid', true]);
  });

  it('a bank debit still pending is not paid until Stripe says it succeeded', async () => {
    const { intake } = await queued(w.firmA.id);
    await drain(w.tdb.db, worker(), clock);
    const sessionId = [...stripe.sessions.values()].find((s) => s.client_reference_id === `intake-${intake.id}`)!.id as string;
    const [pending] = stripe.pay(sessionId, WHSEC_A, { paymentStatus: 'unpaid' });
    expect((await webhook(`/integrations/stripe/webhook/${w.firmA.id}`, pending!)).json()).toEqual({ received: true, outcome: 'ignored' });
    const later = stripe.signed(stripe.event('checkout.session.async_payment_succeeded', { ...stripe.sessions.get(sessionId)!, payment_status: 'paid' }), WHSEC_A);
    expect((await webhook(`/integrations/stripe/webhook/${w.firmA.id}`, later)).json()).toEqual({ received: true, outcome: 'paid' });
  });

  it('a refused session is a dead letter with Stripe\'s reason and no SMS; a 500 is retried without a second session', async () => {
    stripe.failure = (r) => (r.path === '/v1/checkout/sessions' ? { status: 400, type: 'invalid_request_error', code: 'amount_too_small', message: 'Amount must be at least $0.50 usd' } : null);
    const refused = await queued(w.firmA.id, 'payment.link_sms', { amount_cents: 20 });
    await drain(w.tdb.db, worker(), clock);
    expect(await outbox(refused.outboxId)).toMatchObject({ status: 'dead', last_error: expect.stringMatching(/^stripe: Stripe answered 400: amount_too_small: \[req_test_\w+\] Amount must be at least \$0\.50 usd/) });
    expect(sms.messages).toHaveLength(0);

    let failures = 1;
    stripe.failure = (r) => (r.path === '/v1/checkout/sessions' && failures-- > 0 ? { status: 500, message: 'try later' } : null);
    const retried = await queued(w.firmA.id, 'lawpay.payment_link_sms');
    await drain(w.tdb.db, worker(), clock);
    expect(await outbox(retried.outboxId)).toMatchObject({ status: 'delivered' });
    expect([...stripe.sessions.values()].filter((s) => s.client_reference_id === `intake-${retried.intake.id}`)).toHaveLength(1);
    expect(sms.messages).toHaveLength(1);
  });

  it('after disconnecting Stripe the firm\'s fee links go through LawPay again', async () => {
    const del = await w.app.inject({ method: 'DELETE', url: '/api/integrations/stripe', headers: { authorization: `Bearer ${await tokenFor(w.app, w.firmA.users.owner.email)}` } });
    expect(del.statusCode).toBe(204);
    const { intake } = await queued(w.firmA.id);
    await drain(w.tdb.db, worker(), clock);
    expect(stripe.requests.filter((r) => r.path === '/v1/checkout/sessions')).toHaveLength(0);
    expect(sms.messages[0]!.Body).toContain(`reference=intake-${intake.id}`);
    expect((await webhook(`/integrations/stripe/webhook/${w.firmA.id}`, stripe.signed(stripe.event('payment_intent.succeeded', { metadata: { intake_id: String(intake.id) } }), WHSEC_A))).statusCode).toBe(503);
  });
});
