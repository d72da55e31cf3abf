// Public endpoints the outside world calls back on: Clio's OAuth redirect (the state, issued by
// POST /api/integrations/clio/connect, is single use and expires: the CSRF guard) and LawPay's payment webhook.
// The webhook body is not trusted (LawPay documents no signature for it): it only nudges us to read the events feed
// with our own key, and only what LawPay's API says marks an intake paid.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { createIntakeStore } from '../intake/intakes-repo.js';
import { CLIO_CALLBACK_PATH, consumeState, exchangeCode, OAuthStateError, saveClioTokens } from './clio/oauth.js';
import { systemClock } from './clock.js';
import { createCredentialStore } from './credentials.js';
import { DeliveryError } from './errors.js';
import { createLawPayClient } from './lawpay/client.js';
import { pollPaymentEvents } from './lawpay/payments.js';
import { stripeCallbacks } from './stripe/webhook-routes.js';

export const LAWPAY_WEBHOOK_PATH = '/integrations/lawpay/webhook';

const page = (reply: FastifyReply, status: number, title: string, text: string) =>
  reply
    .code(status)
    .type('text/html; charset=utf-8')
    .send(`<!doctype html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1><p>${text}</p></body></html>`);

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export async function integrationCallbacks(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config, log } = deps;
  const clock = systemClock;
  await app.register(stripeCallbacks, deps);

  app.get<{ Querystring: { code?: string; state?: string; error?: string; error_description?: string } }>(CLIO_CALLBACK_PATH, {
    schema: {
      hide: true,
      querystring: {
        type: 'object',
        properties: { code: { type: 'string', maxLength: 500 }, state: { type: 'string', maxLength: 200 }, error: { type: 'string', maxLength: 200 }, error_description: { type: 'string', maxLength: 1000 } },
      },
    },
  }, async (req, reply) => {
    const q = req.query;
    if (!config.encryptionKey) return page(reply, 409, 'Clio not connected', 'ENCRYPTION_KEY is not set on the server, so the Clio tokens could not be stored safely.');
    let tenantId: number;
    try {
      tenantId = await consumeState(db, q.state ?? '', clock.now());
    } catch (err) {
      if (err instanceof OAuthStateError) return page(reply, 400, 'Clio not connected', escape(err.message));
      throw err;
    }
    if (q.error || !q.code) {
      return page(reply, 400, 'Clio not connected', escape(`Clio did not grant access (${q.error ?? 'no code'}${q.error_description ? `: ${q.error_description}` : ''}). Start again from the admin.`));
    }
    try {
      const tokens = await exchangeCode(config, q.code, clock.now());
      const creds = createCredentialStore(db, config.encryptionKey);
      await saveClioTokens(creds, tenantId, tokens, { region: config.clioBaseUrl, connectedAt: clock.now().toISOString() });
      await db('audit_log').insert({ tenant_id: tenantId, user_id: null, action: 'integration.connected', target: 'clio', details: JSON.stringify({ region: config.clioBaseUrl }), at: clock.now() });
      log.info({ tenantId }, 'Clio connected');
      return page(reply, 200, 'Clio connected', 'HERMES will now deliver intakes to Clio. You can close this window.');
    } catch (err) {
      const msg = err instanceof DeliveryError ? err.message : 'the token exchange failed';
      log.warn({ tenantId, err: (err as Error).message }, 'Clio OAuth callback failed');
      return page(reply, 502, 'Clio not connected', escape(`${msg}. Start again from the admin.`));
    }
  });

  // One poll at a time however many webhooks arrive together.
  let polling: Promise<number> | null = null;
  app.post(LAWPAY_WEBHOOK_PATH, { schema: { hide: true }, bodyLimit: 64 * 1024 }, async (_req, reply) => {
    if (!config.lawpaySecretKey) return reply.code(503).send({ error: 'not configured', message: 'LAWPAY_SECRET_KEY is not set' });
    polling ??= pollPaymentEvents(createLawPayClient(config, clock), createIntakeStore(db), clock, log, { pages: 2 }).finally(() => {
      polling = null;
    });
    try {
      const matched = await polling;
      return { received: true, matched };
    } catch (err) {
      // Non-200 makes LawPay deliver the webhook again later (every 10 minutes, up to 25 times).
      log.warn({ err: (err as Error).message }, 'LawPay events poll after webhook failed');
      return reply.code(503).send({ error: 'unavailable', message: 'could not read LawPay events; retry later' });
    }
  });
}
