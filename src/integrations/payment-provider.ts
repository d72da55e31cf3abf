// Which provider makes a firm's consultation-fee link. A firm that connected its own Stripe account uses it; a firm
// with LawPay settings of its own uses LawPay; otherwise the server's PAYMENT_PROVIDER. Both effect names route here:
// `payment.link_sms` and its older name `lawpay.payment_link_sms`, so a firm that moves to Stripe needs no new flow.
import type { Config } from '../config.js';
import type { CredentialStore } from './credentials.js';
import { STRIPE_PROVIDER } from './stripe/access.js';

export type PaymentProvider = 'lawpay' | 'stripe';

export async function paymentProviderFor(creds: CredentialStore, config: Pick<Config, 'paymentProvider'>, tenantId: number | null): Promise<PaymentProvider> {
  if (tenantId !== null) {
    if (await creds.meta(tenantId, STRIPE_PROVIDER)) return 'stripe';
    if (await creds.meta(tenantId, 'lawpay')) return 'lawpay';
  }
  return config.paymentProvider;
}
