// The consultation fee: a hosted LawPay payment link, prefilled and sent by SMS (never a card number by voice), and
// payment status from LawPay's events (polled, or fetched when LawPay's webhook nudges us) marking the intake paid.
// The reference on the payment is "intake-<id>", which is how an event finds its intake.
import type { Db } from '../../db/knex.js';
import type { IntakeStore } from '../../intake/intakes-repo.js';
import type { Logger } from '../../observability/logger.js';
import type { Clock } from '../clock.js';
import { configError, DeliveryError } from '../errors.js';
import type { DeliveryContext } from '../outbox/worker.js';
import type { SmsSender } from '../sms.js';
import type { CredentialStore } from '../credentials.js';
import { e164 } from '../clio/deliver.js';
import { operatingAccount, type LawPayClient, type LawPayEvent } from './client.js';

export const paymentReference = (intakeId: number) => `intake-${intakeId}`;
const REFERENCE = /^intake-(\d+)$/;

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

/** amount_cents (integer) or amount in dollars ("150", 150.5, "$150.00"). */
export function amountCents(args: Record<string, unknown>): number | null {
  if (args.amount_cents !== undefined && args.amount_cents !== '') {
    const c = Number(args.amount_cents);
    return Number.isInteger(c) && c > 0 ? c : null;
  }
  if (args.amount === undefined || args.amount === '') return null;
  const d = Number(String(args.amount).replace(/[$,\s]/g, ''));
  return Number.isFinite(d) && d > 0 ? Math.round(d * 100) : null;
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
  const intake = ctx.row.intakeId === null ? null : await d.intakes.byId(ctx.row.intakeId);
  if (!intake) throw configError('lawpay', 'the intake for this payment link no longer exists');
  const meta = (intake.tenantId !== null ? await d.creds.meta(intake.tenantId, 'lawpay') : null) ?? {};
  const template = typeof meta.paymentUrlTemplate === 'string' ? meta.paymentUrlTemplate : d.template;
  if (!template) throw configError('lawpay', 'LAWPAY_PAYMENT_URL_TEMPLATE is not set, so there is no payment page to link to');
  const cents = amountCents(ctx.row.args);
  if (cents === null) throw new DeliveryError('lawpay', 'the flow gave no valid consultation fee (args.amount in dollars or args.amount_cents)', { retryable: false });
  const to = e164(String(ctx.row.args.to ?? intake.callbackPhone ?? ''));
  if (!to) throw new DeliveryError('lawpay', 'no valid callback number to text the payment link to', { retryable: false });

  const key = `${intake.tenantId ?? '-'}:${String(meta.accountId ?? '')}`;
  if ((d.verified.get(key) ?? -Infinity) < ctx.clock.now().getTime() - VERIFY_TTL_MS) {
    operatingAccount(await d.lawpay.merchantAccounts(ctx.signal), typeof meta.accountId === 'string' ? meta.accountId : null);
    d.verified.set(key, ctx.clock.now().getTime());
  }

  const reference = paymentReference(intake.id);
  const url = paymentUrl(template, { amountCents: cents, reference, name: intake.callerName ?? '' });
  const firm = typeof ctx.row.args.firm === 'string' && ctx.row.args.firm ? `${ctx.row.args.firm}: ` : '';
  const body = `${firm}to confirm your consultation, please pay the $${(cents / 100).toFixed(2)} fee securely here: ${url}`;
  await ctx.save({ url, reference });
  const { sid } = await d.sms.send(to, body);
  await ctx.save({ smsSid: sid });
  await d.intakes.setPaymentStatus(intake.id, 'link_sent');
}

const PAID_TYPES = new Set(['transaction.completed', 'transaction.authorized']);
const PAID_STATUSES = new Set(['COMPLETED', 'AUTHORIZED']);

/** Marks intakes paid from LawPay events; returns how many events matched an intake. Safe to repeat. */
export async function applyPaymentEvents(intakes: IntakeStore, events: LawPayEvent[], now: Date): Promise<number> {
  let n = 0;
  for (const ev of events) {
    const m = REFERENCE.exec(String(ev.data?.reference ?? ''));
    if (!m) continue;
    const paid = PAID_TYPES.has(ev.type) || (ev.type === 'transaction.updated' && PAID_STATUSES.has(String(ev.data?.status ?? '')));
    if (!paid) continue;
    const created = ev.created ? new Date(ev.created) : now;
    if (await intakes.markPaid(Number(m[1]), Number.isNaN(created.getTime()) ? now : created)) n++;
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
