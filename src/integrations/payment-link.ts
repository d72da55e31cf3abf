// What every consultation-fee provider shares: the reference that ties a payment to its intake, the fee in cents
// from the flow's args, the number the link is texted to, and the SMS itself. The providers (LawPay's hosted page,
// Stripe Checkout) differ only in how the link is made and how a payment is reported back.
import type { IntakeStore, StoredIntake } from '../intake/intakes-repo.js';
import { e164 } from './clio/deliver.js';
import { configError, DeliveryError } from './errors.js';
import type { DeliveryContext } from './outbox/worker.js';

export const paymentReference = (intakeId: number) => `intake-${intakeId}`;
const REFERENCE = /^intake-(\d+)$/;

/** The intake id in a payment reference ("intake-42" -> 42), or null for anything else. */
export function intakeIdOfReference(reference: unknown): number | null {
  const m = REFERENCE.exec(String(reference ?? ''));
  return m ? Number(m[1]) : null;
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

export interface FeeLinkRequest {
  intake: StoredIntake;
  cents: number;
  /** E.164 number the link goes to. */
  to: string;
  reference: string;
}

/** Reads and checks what a fee link needs before any provider is asked: a permanent error names what is missing. */
export async function feeLinkRequest(ctx: DeliveryContext, intakes: IntakeStore, provider: string): Promise<FeeLinkRequest> {
  const intake = ctx.row.intakeId === null ? null : await intakes.byId(ctx.row.intakeId);
  if (!intake) throw configError(provider, 'the intake for this payment link no longer exists');
  const cents = amountCents(ctx.row.args);
  if (cents === null) throw new DeliveryError(provider, 'the flow gave no valid consultation fee (args.amount in dollars or args.amount_cents)', { retryable: false });
  const to = e164(String(ctx.row.args.to ?? intake.callbackPhone ?? ''));
  if (!to) throw new DeliveryError(provider, 'no valid callback number to text the payment link to', { retryable: false });
  return { intake, cents, to, reference: paymentReference(intake.id) };
}

/** The text with the link: the firm's name first when the flow passed it (args.firm). */
export function feeSmsBody(args: Record<string, unknown>, cents: number, url: string): string {
  const firm = typeof args.firm === 'string' && args.firm ? `${args.firm}: ` : '';
  return `${firm}to confirm your consultation, please pay the $${(cents / 100).toFixed(2)} fee securely here: ${url}`;
}
