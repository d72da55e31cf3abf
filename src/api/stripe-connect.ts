// Connecting a firm's own Stripe account for consultation fees: the secret key is checked against Stripe (the
// account it opens, GET /v1/account) before it is stored encrypted, and the admin must state that the account is the
// firm's operating account. Stripe has no notion of a trust (IOLTA) account, so HERMES cannot check this the way it
// does for LawPay; a consultation fee is an earned fee and must never land in client trust funds.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { requirePermission } from '../auth/plugin.js';
import { createCredentialStore } from '../integrations/credentials.js';
import { createStripeClient, looksLikeSecretKey, stripeFailure } from '../integrations/stripe/client.js';
import { STRIPE_PROVIDER, type StripeSecret } from '../integrations/stripe/access.js';
import { STRIPE_WEBHOOK_PATH } from '../integrations/stripe/webhook-routes.js';
import { BEARER, ErrorBody, NoQuery, Nullable, PROTECTED_ERRORS } from './schemas.js';
import { principalOf } from './scope.js';

const ConnectBody = Type.Object({
  secretKey: Type.String({ minLength: 12, maxLength: 255, description: 'Secret (sk_live_/sk_test_) or restricted (rk_) key with Checkout Sessions write access' }),
  webhookSecret: Type.Optional(Type.String({ pattern: '^whsec_[A-Za-z0-9]+$', maxLength: 255, description: 'Signing secret of the webhook endpoint created in Stripe for webhookUrl' })),
  operatingAccount: Type.Literal(true, { description: 'The admin confirms this Stripe account pays out to the firm\'s operating account, never to trust (IOLTA)' }),
}, { additionalProperties: false });

const Connected = Type.Object({
  provider: Type.Literal('stripe'),
  accountId: Type.String(),
  name: Nullable(Type.String()),
  livemode: Type.Boolean({ description: 'false for a test-mode key: links work but no real money moves' }),
  webhookUrl: Nullable(Type.String({ description: 'Endpoint to create in Stripe (events checkout.session.completed, checkout.session.async_payment_succeeded, payment_intent.succeeded); null until PUBLIC_URL is set' })),
  webhookConfigured: Type.Boolean(),
});

export async function stripeConnectRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config } = deps;
  const creds = createCredentialStore(db, config.encryptionKey);

  app.post<{ Body: Static<typeof ConnectBody> }>('/integrations/stripe/connect', {
    preHandler: requirePermission('integrations:manage'),
    schema: {
      tags: ['integrations'], summary: 'Connect the firm\'s Stripe account for consultation-fee links (key verified with Stripe, stored encrypted)', security: BEARER,
      querystring: NoQuery, body: ConnectBody, response: { 200: Connected, 409: ErrorBody, 502: ErrorBody, ...PROTECTED_ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const { secretKey, webhookSecret } = req.body;
    if (!config.encryptionKey) return reply.code(409).send({ error: 'not configured', message: 'set ENCRYPTION_KEY on the server first, so the Stripe key can be stored encrypted' });
    if (!looksLikeSecretKey(secretKey)) return reply.code(400).send({ error: 'bad request', message: 'secretKey must be a Stripe secret (sk_) or restricted (rk_) key; a publishable key (pk_) cannot create payment pages' });
    let account;
    try {
      account = await (await createStripeClient(secretKey, config.stripeApiUrl)).accounts.retrieveCurrent();
    } catch (err) {
      const failure = stripeFailure(err, new Date());
      return reply.code(failure.status === 401 ? 400 : 502).send({ error: 'stripe refused', message: failure.message });
    }
    const name = account.business_profile?.name ?? account.settings?.dashboard?.display_name ?? null;
    const livemode = secretKey.includes('_live_');
    await creds.put<StripeSecret>(p.tenantId, STRIPE_PROVIDER, { secretKey, webhookSecret: webhookSecret ?? null }, {
      meta: { accountId: account.id, name, livemode, operatingAccountConfirmedBy: p.userId, connectedAt: new Date().toISOString() },
    });
    await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'integration.connected', target: 'stripe', details: { accountId: account.id, livemode, operatingAccount: true } });
    const webhookUrl = config.publicUrl ? `${config.publicUrl.replace(/\/$/, '')}${STRIPE_WEBHOOK_PATH}/${p.tenantId}` : null;
    return { provider: 'stripe' as const, accountId: account.id, name, livemode, webhookUrl, webhookConfigured: Boolean(webhookSecret) };
  });

  app.delete('/integrations/stripe', {
    preHandler: requirePermission('integrations:manage'),
    schema: {
      tags: ['integrations'], summary: 'Disconnect the firm\'s Stripe account: fee links go back to LawPay (or the server\'s PAYMENT_PROVIDER)', security: BEARER,
      querystring: NoQuery, response: { 204: Type.Null(), ...PROTECTED_ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const n = await db('integration_credentials').where({ tenant_id: p.tenantId, provider: STRIPE_PROVIDER }).delete();
    if (Number(n) === 0) return reply.code(404).send({ error: 'not found', message: 'no Stripe account is connected' });
    await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'integration.disconnected', target: 'stripe' });
    return reply.code(204).send();
  });
}
