// The consultation fee: a hosted LawPay payment link, prefilled and sent by SMS (never a card number by voice), and
// payment status from LawPay's events (polled, or fetched when LawPay's webhook nudges us) marking the intake paid.
// The reference on the payment is "intake-<id>", which is how an event finds its intake.
import type { Db } from '../../db/knex.js';
import type { IntakeStore } from '../../intake/intakes-repo.js';
import type { Logger } from '../../observability/logger.js';
import type { Clock } from '../clock.js';
import { configError } from '../errors.js';
import type { DeliveryContext } from '../outbox/worker.js';
import type { SmsSender } from '../sms.js';
import type { CredentialStore } from '../credentials.js';
import { feeLinkRequest, feeSmsBody, intakeIdOfReference } from '../payment-link.js';
import { operatingAccount, type LawPayClient, type LawPayEvent } from './client.js';

/**
 * Fills the hosted-page template. {amount} is dollars with cents ("150.00"), {reference} "intake-<id>", {name} the
 * caller's name, each URL-encoded. GUESS: LawPay does not publish the query parameter names its hosted pages accept
 * for prefilling (name is documented by example only), so the whole URL is the operator's template, e.g.
 * https://secure.lawpay.com/pages/smith-law/consult?amount={amount}&reference={reference}&name={name}
 */
export function paymentUrl(template: string, v: { amountCents: number; reference: string; name: string }): string {
  return template
    .replaceAll('{amount}', encodeURIComponent((v.amountCents / 100).toFixed(2)))
    .replaceAll('{reference}', encodeURIComponent(v.reference))
    .replaceAll('{name}', encodeURIComponent(v.name));
}

export interface PaymentDeps {
  db: Db;
  intakes: IntakeStore;
  lawpay: LawPayClient;
  sms: SmsSender;
  creds: CredentialStore;
  clock: Clock;
  template: string | null;
  /** Operating-account checks passed (tenant:account -> when), kept by the caller; re-checked hourly. */
  verified: Map<string, number>;
}

const VERIFY_TTL_MS = 60 * 60_000;

export async function deliverPaymentLink(ctx: DeliveryContext, d: PaymentDeps): Promise<void> {
  if (ctx.progress.smsSid) return;
  const { intake, cents, to, reference } = await feeLinkRequest(ctx, d.intakes, 'lawpay');
  const meta = (intake.tenantId !== null ? await d.creds.meta(intake.tenantId, 'lawpay') : null) ?? {};
  const template = typeof meta.paymentUrlTemplate === 'string' ? meta.paymentUrlTemplate : d.template;
  if (!template) throw configError('lawpay', 'LAWPAY_PAYMENT_URL_TEMPLATE is not set, so there is no payment page to link to');

  const key = `${intake.tenantId ?? '-'}:${String(meta.accountId ?? '')}`;
  if ((d.verified.get(key) ?? -Infinity) < ctx.clock.now().getTime() - VERIFY_TTL_MS) {
    operatingAccount(await d.lawpay.merchantAccounts(ctx.signal), typeof meta.accountId === 'string' ? meta.accountId : null);
    d.verified.set(key, ctx.clock.now().getTime());
  }

  const url = paymentUrl(template, { amountCents: cents, reference, name: intake.callerName ?? '' });
  await ctx.save({ url, reference });
  const { sid } = await d.sms.send(to, feeSmsBody(ctx.row.args, cents, url));
  await ctx.save({ smsSid: sid });
  await d.intakes.setPaymentStatus(intake.id, 'link_sent');
}

const PAID_TYPES = new Set(['transaction.completed', 'transaction.authorized']);
const PAID_STATUSES = new Set(['COMPLETED', 'AUTHORIZED']);

/** Marks intakes paid from LawPay events; returns how many events matched an intake. Safe to repeat. */
export async function applyPaymentEvents(intakes: IntakeStore, events: LawPayEvent[], now: Date): Promise<number> {
  let n = 0;
  for (const ev of events) {
    const intakeId = intakeIdOfReference(ev.data?.reference);
    if (intakeId === null) continue;
    const paid = PAID_TYPES.has(ev.type) || (ev.type === 'transaction.updated' && PAID_STATUSES.has(String(ev.data?.status ?? '')));
    if (!paid) continue;
    const created = ev.created ? new Date(ev.created) : now;
    if (await intakes.markPaid(intakeId, Number.isNaN(created.getTime()) ? now : created)) n++;
  }
  return n;
}

/** Reads the newest pages of LawPay events (the feed gives no cursor we can rely on; marking paid is idempotent). */
export async function pollPaymentEvents(lawpay: LawPayClient, intakes: IntakeStore, clock: Clock, log: Logger, opts: { pages?: number; signal?: AbortSignal } = {}): Promise<number> {
  let matched = 0;
  for (let page = 1; page <= (opts.pages ?? 3); page++) {
    const r = await lawpay.events(page, 50, opts.signal);
    matched += await applyPaymentEvents(intakes, r.results ?? [], clock.now());
    if ((r.results ?? []).length < 50) break;
  }
  if (matched) log.info({ matched }, 'LawPay payments recorded');
  return matched;
}
