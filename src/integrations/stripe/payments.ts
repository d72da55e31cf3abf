// The consultation fee through Stripe: one Checkout Session per intake (a Payment Link serves every payer, so it
// could not tell whose fee was paid), its hosted URL texted to the caller, and Stripe's signed webhook events marking
// the intake paid. The session carries the intake as client_reference_id ("intake-<id>") and in metadata on both the
// session and its PaymentIntent, because Stripe copies neither onto the other (../shared/reference/stripe.md).
import type Stripe from 'stripe';
import type { IntakeStore } from '../../intake/intakes-repo.js';
import type { Clock } from '../clock.js';
import { DeliveryError } from '../errors.js';
import type { DeliveryContext } from '../outbox/worker.js';
import { feeLinkRequest, feeSmsBody, intakeIdOfReference } from '../payment-link.js';
import type { SmsSender } from '../sms.js';
import { stripeFailure } from './client.js';

export interface StripePaymentDeps {
  intakes: IntakeStore;
  sms: SmsSender;
  clock: Clock;
  /** The firm's Stripe account (or the server's), null when neither is connected. */
  stripeFor(tenantId: number | null): Promise<Stripe | null>;
  /** Where Stripe sends the payer after paying (PUBLIC_URL + the thank-you page); null omits it. */
  successUrl: string | null;
}

/** The page Stripe sends the payer to after paying (served by the integration callbacks). */
export const STRIPE_SUCCESS_PATH = '/integrations/stripe/paid';

/** Stripe keeps a Checkout Session open at most 24 hours; a little less so the SMS never links to an expired page. */
const SESSION_TTL_S = 23 * 3600;

export async function deliverStripeLink(ctx: DeliveryContext, d: StripePaymentDeps): Promise<void> {
  if (ctx.progress.smsSid) return;
  const { intake, cents, to, reference } = await feeLinkRequest(ctx, d.intakes, 'stripe');
  const stripe = await d.stripeFor(intake.tenantId);
  if (!stripe) throw new DeliveryError('stripe', 'no Stripe account is connected for this firm (POST /api/integrations/stripe/connect) and STRIPE_SECRET_KEY is not set', { retryable: false, notSent: true });

  let url = typeof ctx.progress.url === 'string' ? ctx.progress.url : null;
  if (!url) {
    const metadata = { intake_id: String(intake.id), reference, call_sid: intake.callSid };
    const params: Stripe.Checkout.SessionCreateParams = {
      mode: 'payment',
      line_items: [{
        quantity: 1,
        price_data: { currency: currencyOf(ctx.row.args), unit_amount: cents, product_data: { name: String(ctx.row.args.description ?? 'Consultation fee').slice(0, 250) } },
      }],
      client_reference_id: reference,
      metadata,
      payment_intent_data: { metadata, description: `Consultation fee (${reference})` },
      expires_at: Math.floor(ctx.clock.now().getTime() / 1000) + SESSION_TTL_S,
      ...(d.successUrl ? { success_url: d.successUrl } : {}),
      ...(intake.email ? { customer_email: intake.email } : {}),
    };
    let session: Stripe.Checkout.Session;
    try {
      // The row's own key: a retry after a lost answer gets the same session back instead of a second one.
      session = await stripe.checkout.sessions.create(params, { idempotencyKey: `${ctx.row.idempotencyKey}:checkout` });
    } catch (err) {
      throw stripeFailure(err, ctx.clock.now());
    }
    if (!session.url) throw stripeFailure(new Error('Stripe returned a Checkout Session without a hosted URL'), ctx.clock.now());
    url = session.url;
    await ctx.save({ url, reference, sessionId: session.id });
  }
  const { sid } = await d.sms.send(to, feeSmsBody(ctx.row.args, cents, url));
  await ctx.save({ smsSid: sid });
  await d.intakes.setPaymentStatus(intake.id, 'link_sent');
}

function currencyOf(args: Record<string, unknown>): string {
  const c = typeof args.currency === 'string' ? args.currency.trim().toLowerCase() : '';
  return /^[a-z]{3}$/.test(c) ? c : 'usd';
}

export type StripeEventOutcome = 'paid' | 'already paid' | 'ignored' | 'not ours';

/**
 * Applies one verified Stripe event. Paid means: a completed session whose payment_status is "paid" (card), a
 * delayed method that succeeded later, or a succeeded PaymentIntent; events arrive in any order and more than once,
 * and marking paid is idempotent. `tenantId` (the firm whose webhook secret verified the event) must own the intake:
 * one firm's signed event never touches another firm's intake.
 */
export async function applyStripeEvent(intakes: IntakeStore, event: Stripe.Event, tenantId: number | null, now: Date): Promise<StripeEventOutcome> {
  const intakeId = intakeOfEvent(event);
  if (intakeId === null) return 'ignored';
  const intake = await intakes.byId(intakeId);
  if (!intake || (tenantId !== null && intake.tenantId !== tenantId)) return 'not ours';
  if (intake.paymentStatus === 'paid') return 'already paid';
  const created = new Date(event.created * 1000);
  await intakes.markPaid(intakeId, Number.isNaN(created.getTime()) ? now : created);
  return 'paid';
}

function intakeOfEvent(event: Stripe.Event): number | null {
  switch (event.type) {
    case 'checkout.session.completed':
      if (event.data.object.payment_status !== 'paid') return null; // a bank debit still pending: wait for async_payment_succeeded
      return sessionIntake(event.data.object);
    case 'checkout.session.async_payment_succeeded':
      return sessionIntake(event.data.object);
    case 'payment_intent.succeeded':
      return idOf(event.data.object.metadata?.intake_id);
    default:
      return null;
  }
}

const sessionIntake = (s: Stripe.Checkout.Session) => idOf(s.metadata?.intake_id) ?? intakeIdOfReference(s.client_reference_id);
const idOf = (v: unknown) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);
