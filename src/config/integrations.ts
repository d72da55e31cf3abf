// Settings of the outside services an intake reaches: Clio, LawPay, Stripe, Zapier and staff e-mail.
import { httpUrl, oneOf, optionalText, optionalUrl, type SettingsOf } from './setting.js';

export interface IntegrationsConfig {
  clioClientId: string | null;
  clioClientSecret: string | null;
  /** Clio region base, e.g. https://app.clio.com or https://eu.app.clio.com. */
  clioBaseUrl: string;
  lawpaySecretKey: string | null;
  lawpayBaseUrl: string;
  /** Hosted payment page template; {amount}, {reference}, {name} are filled in. */
  lawpayPaymentUrlTemplate: string | null;
  /** Stripe secret key for a server-wide account (one firm per server); firms may connect their own instead. */
  stripeSecretKey: string | null;
  /** Signing secret (whsec_) of the server-wide Stripe webhook endpoint. */
  stripeWebhookSecret: string | null;
  /** Stripe API base; a local fake in tests. */
  stripeApiUrl: string;
  /** Consultation-fee provider for firms that connected neither (a firm's connected Stripe account always wins). */
  paymentProvider: 'lawpay' | 'stripe';
  zapierHookUrl: string | null;
  /** SMTP server staff e-mail goes through: smtp://user:pass@host:587 (STARTTLS when offered) or smtps://...:465. */
  smtpUrl: string | null;
  /** From address of staff e-mail, e.g. "HERMES <hermes@firm.com>". */
  smtpFrom: string | null;
}

function smtpUrl(raw: string): string | null {
  const v = raw.trim();
  if (v === '') return null;
  let u: URL;
  try {
    u = new URL(v);
  } catch {
    throw new Error(`expected smtp://user:pass@host:587 or smtps://host:465, got a value that is not a URL`);
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') throw new Error(`expected smtp:// or smtps://, got "${u.protocol}"`);
  return v;
}

export const INTEGRATIONS_SETTINGS = [
  { env: 'CLIO_CLIENT_ID', key: 'clioClientId', doc: 'Clio OAuth client id', default: null, parse: optionalText },
  { env: 'CLIO_CLIENT_SECRET', key: 'clioClientSecret', doc: 'Clio OAuth client secret', default: null, parse: optionalText },
  { env: 'CLIO_BASE_URL', key: 'clioBaseUrl', doc: 'Clio region: app, eu.app, ca.app or au.app .clio.com', default: 'https://app.clio.com', parse: httpUrl },
  { env: 'LAWPAY_SECRET_KEY', key: 'lawpaySecretKey', doc: 'LawPay/AffiniPay secret key', default: null, parse: optionalText },
  { env: 'LAWPAY_BASE_URL', key: 'lawpayBaseUrl', doc: 'AffiniPay gateway base', default: 'https://api.affinipay.com', parse: httpUrl },
  { env: 'LAWPAY_PAYMENT_URL_TEMPLATE', key: 'lawpayPaymentUrlTemplate', doc: 'Hosted payment page URL with {amount} {reference} {name}', default: null, parse: optionalText },
  { env: 'STRIPE_SECRET_KEY', key: 'stripeSecretKey', doc: 'Stripe secret key (sk_ or rk_) of a server-wide account', default: null, parse: optionalText },
  { env: 'STRIPE_WEBHOOK_SECRET', key: 'stripeWebhookSecret', doc: 'Signing secret (whsec_) of /integrations/stripe/webhook', default: null, parse: optionalText },
  { env: 'STRIPE_API_URL', key: 'stripeApiUrl', doc: 'Stripe API base', default: 'https://api.stripe.com', parse: httpUrl },
  { env: 'PAYMENT_PROVIDER', key: 'paymentProvider', doc: 'Consultation-fee links: lawpay or stripe (a firm that connected Stripe uses it)', default: 'lawpay', parse: oneOf<'lawpay' | 'stripe'>('lawpay', 'stripe') },
  { env: 'ZAPIER_HOOK_URL', key: 'zapierHookUrl', doc: 'Zapier catch hook that receives each intake', default: null, parse: optionalUrl },
  { env: 'SMTP_URL', key: 'smtpUrl', doc: 'SMTP server for staff e-mail: smtp://user:pass@host:587 or smtps://host:465', default: null, parse: smtpUrl },
  { env: 'SMTP_FROM', key: 'smtpFrom', doc: 'From address of staff e-mail, e.g. "HERMES <hermes@firm.com>"', default: null, parse: optionalText },
] as const satisfies SettingsOf<IntegrationsConfig>;
