// After the call, the caller gets what was promised: one short text with the firm's name and the next step, in the
// language the call ended in, with the consultation fee's payment link when the flow sent one. Queued once per call
// (the outbox idempotency key) when the intake ends; never to a number that texted STOP, nor to a caller who asked
// for e-mail or declined texts; skipped for calls with no next step to tell (transferred, conflict, abandoned).
import type { Knex } from 'knex';
import type { Db } from '../db/knex.js';
import { callLanguage } from '../intake/call-language.js';
import type { StoredIntake } from '../intake/intakes-repo.js';
import { isOptedOut, optOut } from '../intake/sms-opt-outs.js';
import type { Language } from '../primitives.js';
import { e164 } from './clio/deliver.js';
import { DeliveryError } from './errors.js';
import { enqueue } from './outbox/store.js';
import type { DeliveryContext } from './outbox/worker.js';
import { OPTED_OUT_ERROR, type SmsSender } from './sms.js';

export const CALLER_TEXT_ACTION = 'sms.caller_text';
/** The fee-link effect under its name and its older one (payment-provider.ts routes both). */
const PAYMENT_LINK_ACTIONS = ['payment.link_sms', 'lawpay.payment_link_sms'];

type NextStep = 'callback' | 'message';
const NEXT_STEP: Partial<Record<string, NextStep>> = { completed: 'callback', message: 'message' };

const WORDS: Record<Language, { thanks: string; next: Record<NextStep, string>; fee: (amount: string, url: string) => string; stop: string }> = {
  en: {
    thanks: 'Thank you for calling.',
    next: {
      callback: 'An attorney will review your information and call you back at this number.',
      message: 'We have your message, and someone from the firm will call you back.',
    },
    fee: (amount, url) => `To confirm your consultation, please pay the ${amount} fee here: ${url}`,
    stop: 'Reply STOP to opt out.',
  },
  es: {
    thanks: 'Gracias por llamar.',
    next: {
      callback: 'Un abogado revisará su información y le devolverá la llamada a este número.',
      message: 'Su mensaje fue entregado y alguien de la firma le devolverá la llamada.',
    },
    fee: (amount, url) => `Para confirmar su consulta, pague la tarifa de ${amount} aquí: ${url}`,
    stop: 'Responda STOP para no recibir más mensajes.',
  },
};

/** The text itself (kept short: one SMS segment where the link allows). */
export function callerText(o: { firm: string; language: Language; next: NextStep; fee?: { amount: string; url: string } }): string {
  const w = WORDS[o.language];
  return [`${o.firm}: ${w.thanks}`, w.next[o.next], o.fee ? w.fee(o.fee.amount, o.fee.url) : null, w.stop].filter(Boolean).join(' ');
}

/** The caller chose e-mail, or said no to texts (a `sms_consent` / `texts_ok` slot answered no). */
function declinedTexts(slots: Record<string, unknown>): boolean {
  return slots.preferred_contact === 'email' || slots.sms_consent === false || slots.texts_ok === false;
}

/** Inside the transaction that ends the intake: queues the caller's text when there is one to send. */
export async function queueCallerText(trx: Knex.Transaction, intake: StoredIntake, at: Date): Promise<void> {
  const next = intake.outcome ? NEXT_STEP[intake.outcome] : undefined;
  const to = e164(intake.callbackPhone);
  if (!next || !to || intake.tenantId === null || declinedTexts(intake.slots)) return;
  if (await isOptedOut(trx, to)) return;
  await enqueue(trx, { tenantId: intake.tenantId, intakeId: intake.id, callSid: intake.callSid, action: CALLER_TEXT_ACTION, args: { to, next }, idempotencyKey: `${intake.callSid}:caller-text` }, at);
}

/**
 * Delivers the caller's text. Read fresh: an opt-out that arrived since the call wins; the payment link is the one
 * the flow's own delivery made (waited for while it is still being delivered, left out when it failed).
 */
export async function deliverCallerText(ctx: DeliveryContext, d: { db: Db; sms: SmsSender }): Promise<void> {
  if (ctx.progress.smsSid || ctx.progress.skipped) return;
  const to = String(ctx.row.args.to ?? '');
  const next = ctx.row.args.next === 'message' ? 'message' : 'callback';
  if (!to) throw new DeliveryError('sms', 'no number to text the caller at', { retryable: false });
  if (await isOptedOut(d.db, to)) return ctx.save({ skipped: 'opted out' });
  const tenant = ctx.row.tenantId === null ? undefined : ((await d.db('tenants').where({ id: ctx.row.tenantId }).first('name')) as { name: string } | undefined);
  if (!tenant) return ctx.save({ skipped: 'no firm' });
  const language = ctx.row.callSid ? await callLanguage(d.db, ctx.row.callSid) : 'en';
  const fee = ctx.row.callSid ? await paymentLink(d.db, ctx.row.callSid) : null;
  const body = callerText({ firm: tenant.name, language, next, ...(fee ? { fee } : {}) });
  try {
    const { sid } = await d.sms.send(to, body);
    await ctx.save({ smsSid: sid, language });
  } catch (err) {
    // Twilio knows of an opt-out we missed (a STOP before the inbound webhook was set up): remember it, send nothing.
    if (err instanceof DeliveryError && err.code === OPTED_OUT_ERROR) {
      await optOut(d.db, to, String(OPTED_OUT_ERROR), ctx.clock.now());
      return ctx.save({ skipped: 'opted out at Twilio' });
    }
    throw err;
  }
}

async function paymentLink(db: Db, callSid: string): Promise<{ amount: string; url: string } | null> {
  const row = (await db('outbox').where({ call_sid: callSid }).whereIn('action', PAYMENT_LINK_ACTIONS).orderBy('id', 'desc').first('status', 'args', 'progress')) as Record<string, unknown> | undefined;
  if (!row) return null;
  if (row.status === 'pending' || row.status === 'in_flight') {
    throw new DeliveryError('sms', 'waiting for the payment link to be made before texting the caller', { retryable: true, notSent: true });
  }
  const progress = typeof row.progress === 'string' ? (JSON.parse(row.progress) as Record<string, unknown>) : {};
  const args = typeof row.args === 'string' ? (JSON.parse(row.args) as Record<string, unknown>) : {};
  if (row.status !== 'delivered' || typeof progress.url !== 'string') return null;
  const dollars = Number(args.amount ?? (Number(args.amount_cents) / 100));
  return { amount: Number.isFinite(dollars) ? `$${dollars.toFixed(2)}` : 'consultation', url: progress.url };
}
