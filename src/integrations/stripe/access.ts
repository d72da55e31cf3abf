// Whose Stripe account a firm's fee goes to: the account the firm connected (its secret key stored encrypted as the
// "stripe" credential, POST /api/integrations/stripe/connect), else the server-wide STRIPE_SECRET_KEY. Clients are
// kept per key so the SDK's connection reuse works across deliveries.
import type Stripe from 'stripe';
import type { Config } from '../../config.js';
import type { CredentialStore } from '../credentials.js';
import { createStripeClient } from './client.js';

export const STRIPE_PROVIDER = 'stripe';

/** The stored secret of a connected Stripe account. */
export interface StripeSecret {
  secretKey: string;
  /** whsec_ of the firm's webhook endpoint (/integrations/stripe/webhook/<tenant id>), when set up. */
  webhookSecret: string | null;
}

export interface StripeAccess {
  forTenant(tenantId: number | null): Promise<Stripe | null>;
  /** The secret that verifies webhooks for this firm (null: the server-wide endpoint's). */
  webhookSecret(tenantId: number | null): Promise<string | null>;
}

export function createStripeAccess(config: Pick<Config, 'stripeSecretKey' | 'stripeWebhookSecret' | 'stripeApiUrl'>, creds: CredentialStore): StripeAccess {
  const clients = new Map<string, Promise<Stripe>>();
  const client = (key: string) => {
    let c = clients.get(key);
    if (!c) clients.set(key, (c = createStripeClient(key, config.stripeApiUrl)));
    return c;
  };
  const firmSecret = async (tenantId: number | null) => (tenantId === null || !(await creds.meta(tenantId, STRIPE_PROVIDER)) ? null : (await creds.get<StripeSecret>(tenantId, STRIPE_PROVIDER))?.secret ?? null);
  return {
    async forTenant(tenantId) {
      const key = (await firmSecret(tenantId))?.secretKey ?? config.stripeSecretKey;
      return key ? client(key) : null;
    },
    async webhookSecret(tenantId) {
      return tenantId === null ? config.stripeWebhookSecret : ((await firmSecret(tenantId))?.webhookSecret ?? null);
    },
  };
}
