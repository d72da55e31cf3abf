// Stripe's side of the fee: the signed webhook (POST /integrations/stripe/webhook for the server-wide account,
// .../webhook/<tenant id> for a firm's own) and the page the payer lands on after paying. Nothing in an event is
// believed until its Stripe-Signature verifies with that endpoint's secret over the exact bytes received, which is why
// this plugin (encapsulated, so the rest of the app keeps its JSON parser) reads the body raw.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app-deps.js';
import { createIntakeStore } from '../../intake/intakes-repo.js';
import { createCredentialStore } from '../credentials.js';
import { DeliveryError } from '../errors.js';
import { createStripeAccess } from './access.js';
import { verifiedStripeEvent } from './client.js';
import { applyStripeEvent, STRIPE_SUCCESS_PATH } from './payments.js';

export const STRIPE_WEBHOOK_PATH = '/integrations/stripe/webhook';

export async function stripeCallbacks(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config, log } = deps;
  const access = createStripeAccess(config, createCredentialStore(db, config.encryptionKey));
  const intakes = createIntakeStore(db);
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  async function receive(tenantId: number | null, req: FastifyRequest, reply: FastifyReply) {
    let secret: string | null;
    try {
      secret = await access.webhookSecret(tenantId);
    } catch (err) {
      // ENCRYPTION_KEY missing: a 5xx makes Stripe deliver again (for up to three days) once it is fixed.
      if (err instanceof DeliveryError) return reply.code(503).send({ error: 'not configured', message: err.message });
      throw err;
    }
    if (!secret) return reply.code(503).send({ error: 'not configured', message: tenantId === null ? 'STRIPE_WEBHOOK_SECRET is not set' : 'this firm has no Stripe webhook secret' });
    const signature = req.headers['stripe-signature'];
    if (typeof signature !== 'string' || !Buffer.isBuffer(req.body)) return reply.code(400).send({ error: 'bad request', message: 'a JSON body with a Stripe-Signature header is required' });
    let event;
    try {
      event = await verifiedStripeEvent(req.body, signature, secret);
    } catch {
      log.warn({ route: 'stripe-webhook', tenantId }, 'Stripe webhook signature did not verify');
      return reply.code(400).send({ error: 'bad signature', message: 'Stripe-Signature does not verify for this endpoint' });
    }
    const outcome = await applyStripeEvent(intakes, event, tenantId, new Date());
    log.info({ route: 'stripe-webhook', tenantId, type: event.type, event: event.id, outcome }, 'Stripe event');
    return { received: true, outcome };
  }

  const bodyLimit = 256 * 1024;
  app.post(STRIPE_WEBHOOK_PATH, { schema: { hide: true }, bodyLimit }, (req, reply) => receive(null, req, reply));
  app.post<{ Params: { tenant: number } }>(`${STRIPE_WEBHOOK_PATH}/:tenant`, {
    schema: { hide: true, params: { type: 'object', required: ['tenant'], additionalProperties: false, properties: { tenant: { type: 'integer', minimum: 1 } } } },
    bodyLimit,
  }, (req, reply) => receive(req.params.tenant, req, reply));

  app.get(STRIPE_SUCCESS_PATH, { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send('<!doctype html><html><head><meta charset="utf-8"><title>Payment received</title></head><body><h1>Thank you</h1><p>Your consultation fee was received. The firm will be in touch to confirm your appointment. You can close this page.</p></body></html>'));
}
