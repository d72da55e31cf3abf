// Which code delivers which outbox action. Each handler reads what it needs fresh (the intake as it stands now) and
// records remote ids in progress before moving on, so a retry never repeats a finished step.
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import { createIntakeStore } from '../intake/intakes-repo.js';
import type { Logger } from '../observability/logger.js';
import { loadBundle, intakePayload } from './bundle.js';
import { createClioAccess, type ClioAccess } from './clio/access.js';
import { deliverClioIntake, e164 } from './clio/deliver.js';
import { notifyNumbers } from './messages/take.js';
import { systemClock, type Clock } from './clock.js';
import { createCredentialStore, type CredentialStore } from './credentials.js';
import { configError, DeliveryError } from './errors.js';
import { createSmtpMailer, type MailSender } from './mail.js';
import { deliverMessage } from './messages/deliver.js';
import { createLawPayClient, type LawPayClient } from './lawpay/client.js';
import { deliverPaymentLink } from './lawpay/payments.js';
import { paymentProviderFor } from './payment-provider.js';
import { createStripeAccess, type StripeAccess } from './stripe/access.js';
import { deliverStripeLink, STRIPE_SUCCESS_PATH } from './stripe/payments.js';
import type { DeliveryContext, DeliveryHandlers } from './outbox/worker.js';
import { createTwilioSms, type SmsSender } from './sms.js';
import { postToHook } from './zapier.js';
import { CALLER_TEXT_ACTION, deliverCallerText } from './caller-text.js';
import { sharedLimitsFor } from '../db/shared-limits.js';

export interface DeliveryDeps {
  db: Db;
  config: Config;
  log: Logger;
  clock?: Clock;
  /** Replaceable for tests; default: Twilio from the config. */
  sms?: SmsSender;
  /** Replaceable for tests; default: SMTP from the config. */
  mail?: MailSender;
  lawpay?: LawPayClient;
  clio?: ClioAccess;
  stripe?: StripeAccess;
  creds?: CredentialStore;
}

/** The firm's hook (zapier meta hookUrl), else the server-wide ZAPIER_HOOK_URL. */
async function hookUrl(d: { config: Config; creds: CredentialStore }, tenantId: number | null, override: unknown): Promise<string | null> {
  if (typeof override === 'string' && override) return override;
  const meta = tenantId === null ? null : await d.creds.meta(tenantId, 'zapier');
  if (meta && typeof meta.hookUrl === 'string' && meta.hookUrl) return meta.hookUrl;
  return d.config.zapierHookUrl;
}

export function createDeliveryHandlers(deps: DeliveryDeps): DeliveryHandlers {
  const clock = deps.clock ?? systemClock;
  const now = () => clock.now();
  const creds = deps.creds ?? createCredentialStore(deps.db, deps.config.encryptionKey, now);
  const clio = deps.clio ?? createClioAccess({ cfg: deps.config, creds, clock, budget: sharedLimitsFor(deps.db)?.budget });
  const sms = deps.sms ?? createTwilioSms(deps.config);
  const mail = deps.mail ?? createSmtpMailer(deps.config);
  const lawpay = deps.lawpay ?? createLawPayClient(deps.config, clock);
  const intakes = createIntakeStore(deps.db, { now });
  const verifiedAccounts = new Map<string, number>();
  const stripe = deps.stripe ?? createStripeAccess(deps.config, creds);
  const successUrl = deps.config.publicUrl ? `${deps.config.publicUrl.replace(/\/$/, '')}${STRIPE_SUCCESS_PATH}` : null;

  // The fee link, through the firm's provider (payment-provider.ts), whichever of the two effect names the flow used.
  const paymentLink = async (ctx: DeliveryContext) => {
    const intake = ctx.row.intakeId === null ? null : await intakes.byId(ctx.row.intakeId);
    const provider = await paymentProviderFor(creds, deps.config, intake?.tenantId ?? ctx.row.tenantId);
    if (provider === 'stripe') return deliverStripeLink(ctx, { intakes, sms, clock, successUrl, stripeFor: (t) => stripe.forTenant(t) });
    return deliverPaymentLink(ctx, { db: deps.db, intakes, lawpay, sms, creds, clock, template: deps.config.lawpayPaymentUrlTemplate, verified: verifiedAccounts });
  };

  async function sendOnce(ctx: DeliveryContext, to: string, body: string, key = 'smsSid'): Promise<void> {
    if (ctx.progress[key]) return;
    const { sid } = await sms.send(to, body);
    await ctx.save({ [key]: sid });
  }

  return {
    'clio.create_intake': (ctx) => deliverClioIntake(ctx, deps.db, clio),

    'payment.link_sms': paymentLink,
    'lawpay.payment_link_sms': paymentLink,

    'sms.send': async (ctx) => {
      const intake = ctx.row.intakeId === null ? null : await intakes.byId(ctx.row.intakeId);
      const to = e164(String(ctx.row.args.to ?? intake?.callbackPhone ?? ''));
      const body = String(ctx.row.args.body ?? ctx.row.args.text ?? '').trim();
      if (!to) throw new DeliveryError('sms', 'no valid number to text (args.to or the callback number)', { retryable: false });
      if (!body) throw new DeliveryError('sms', 'the message has no text (args.body)', { retryable: false });
      await sendOnce(ctx, to, body.slice(0, 1600));
    },

    [CALLER_TEXT_ACTION]: (ctx) => deliverCallerText(ctx, { db: deps.db, sms }),

    webhook: async (ctx) => {
      if (ctx.progress.posted) return;
      const url = await hookUrl({ config: deps.config, creds }, ctx.row.tenantId, ctx.row.args.url);
      if (!url) throw configError('zapier', 'no hook URL: set ZAPIER_HOOK_URL, the firm\'s zapier hookUrl, or args.url in the flow');
      const b = await loadBundle(deps.db, ctx.row.intakeId);
      const { requestId } = await postToHook(url, intakePayload(b, String(ctx.row.args.event ?? 'intake'), ctx.row.idempotencyKey), clock, ctx.signal);
      await ctx.save({ posted: true, requestId });
    },

    // A message for staff. Taken by a flow through the effect runner, it carries message_id: the message row and the
    // recipients looked up when it was taken (staff contacts), delivered by SMS, e-mail and, for a client, to Clio.
    // Older rows (and flows naming a number) text args.notify. It is in the intake either way, and the firm's hook
    // receives it with the intake when the call ends (outcome "message"), so it is posted here only to a hook the
    // flow names itself (args.url).
    take_message: async (ctx) => {
      const messageId = Number(ctx.row.args.message_id);
      const stored = Number.isInteger(messageId) && messageId > 0;
      if (stored) await deliverMessage(ctx, { db: deps.db, sms, mail, clio, creds }, messageId);
      const b = await loadBundle(deps.db, ctx.row.intakeId);
      // notify (older rows without a stored message): one number, or a list; each is texted once, whatever the retries.
      // A stored message already has those numbers among its recipients.
      const numbers = stored ? [] : notifyNumbers(ctx.row.args.notify);
      const i = b.intake;
      const text = String(ctx.row.args.message ?? i.slots.message ?? i.slots.description ?? '').slice(0, 600);
      const urgent = ctx.row.args.urgent === true || ctx.row.args.urgent === 'true' ? 'URGENT ' : '';
      for (const [k, to] of numbers.entries()) {
        await sendOnce(ctx, to, `${urgent}HERMES message from ${i.callerName ?? 'a caller'} (${i.callbackPhone ?? 'no number'}): ${text || '(no message text)'}`, k === 0 ? 'notifySid' : `notifySid${k}`);
      }
      if (typeof ctx.row.args.url === 'string' && ctx.row.args.url && !ctx.progress.posted) {
        await postToHook(ctx.row.args.url, intakePayload(b, 'message', ctx.row.idempotencyKey), clock, ctx.signal);
        await ctx.save({ posted: true });
      }
      if (Object.keys(ctx.progress).length === 0) await ctx.save({ recorded: true });
    },
  };
}
