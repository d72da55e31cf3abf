// What the firm's owner can set for each integration from the staff app: a Zapier catch hook, a Clio Grow inbox lead
// token, the LawPay account and payment page, and disconnecting any of them (Clio Manage connects through OAuth in
// integrations.ts). Secrets go through the encrypted credential store and are never returned; every change is audited
// without the values themselves.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { requirePermission } from '../auth/plugin.js';
import { createCredentialStore } from '../integrations/credentials.js';
import { BEARER, ErrorBody, NoQuery, PROTECTED_ERRORS } from './schemas.js';
import { principalOf } from './scope.js';

/** Providers a firm can disconnect: the rows integration_credentials holds for it. */
export const FIRM_PROVIDERS = ['clio', 'clio_grow', 'lawpay', 'zapier'] as const;

const Https = (description: string) => Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://', description });
const ZapierBody = Type.Object({ hookUrl: Https('The Zap\'s catch hook URL (https://hooks.zapier.com/hooks/catch/...)') }, { additionalProperties: false });
const GrowBody = Type.Object({
  inboxLeadToken: Type.String({ minLength: 8, maxLength: 500, description: 'Clio Grow > Settings > Lead inbox token (stored encrypted)' }),
  target: Type.Optional(Type.Boolean({ description: 'Send new intakes to Grow even when Clio Manage is connected' })),
}, { additionalProperties: false });
const LawPayBody = Type.Object({
  accountId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'The operating (not trust) account payment links charge' })),
  paymentUrlTemplate: Type.Optional(Https('The firm\'s payment page, with {amount}, {reference} and {name} placeholders')),
}, { additionalProperties: false, minProperties: 1 });
const ProviderParams = Type.Object({ provider: Type.Union(FIRM_PROVIDERS.map((p) => Type.Literal(p))) }, { additionalProperties: false });
const Saved = Type.Object({ provider: Type.String(), connected: Type.Boolean() });

export async function integrationSettingRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config } = deps;
  const creds = createCredentialStore(db, config.encryptionKey);

  /** The credential store encrypts every row (even one whose secret is empty), so it needs ENCRYPTION_KEY. */
  const withKey = (reply: FastifyReply) => (config.encryptionKey ? null
    : reply.code(409).send({ error: 'not configured', message: 'set ENCRYPTION_KEY on the server first: integration settings are stored encrypted' }));

  app.put<{ Body: Static<typeof ZapierBody> }>('/integrations/zapier', {
    preHandler: requirePermission('integrations:manage'),
    schema: { tags: ['integrations'], summary: 'Set the firm\'s Zapier catch hook (used instead of ZAPIER_HOOK_URL; audited)', security: BEARER, querystring: NoQuery, body: ZapierBody, response: { 200: Saved, 409: ErrorBody, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    if (withKey(reply)) return reply;
    // The hook URL is what the delivery worker reads from meta (handlers.ts hookUrl()); the URL itself is the secret,
    // so the list route's filter and the UI show only its host.
    await creds.put(p.tenantId, 'zapier', {}, { meta: { hookUrl: req.body.hookUrl } });
    await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'integration.set', target: 'zapier', details: { host: new URL(req.body.hookUrl).host } });
    return { provider: 'zapier', connected: true };
  });

  app.put<{ Body: Static<typeof GrowBody> }>('/integrations/clio-grow', {
    preHandler: requirePermission('integrations:manage'),
    schema: { tags: ['integrations'], summary: 'Connect Clio Grow with its lead inbox token (stored encrypted; audited)', security: BEARER, querystring: NoQuery, body: GrowBody, response: { 200: Saved, 409: ErrorBody, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    if (withKey(reply)) return reply;
    await creds.put(p.tenantId, 'clio_grow', { inboxLeadToken: req.body.inboxLeadToken }, { meta: {} });
    if (req.body.target !== undefined) {
      // clio/access.ts: Grow wins when Manage is absent or Manage's meta says target "grow".
      const manage = await creds.meta(p.tenantId, 'clio');
      if (manage) await db('integration_credentials').where({ tenant_id: p.tenantId, provider: 'clio' }).update({ meta: JSON.stringify({ ...manage, target: req.body.target ? 'grow' : 'manage' }) });
    }
    await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'integration.set', target: 'clio_grow', details: { target: req.body.target ?? null } });
    return { provider: 'clio_grow', connected: true };
  });

  app.put<{ Body: Static<typeof LawPayBody> }>('/integrations/lawpay', {
    preHandler: requirePermission('integrations:manage'),
    schema: { tags: ['integrations'], summary: 'Set the firm\'s LawPay account and payment page (the API key stays on the server; audited)', security: BEARER, querystring: NoQuery, body: LawPayBody, response: { 200: Saved, 409: ErrorBody, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    if (withKey(reply)) return reply;
    const meta = { ...(await creds.meta(p.tenantId, 'lawpay')), ...req.body };
    await creds.put(p.tenantId, 'lawpay', {}, { meta });
    await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'integration.set', target: 'lawpay', details: { fields: Object.keys(req.body) } });
    return { provider: 'lawpay', connected: Boolean(config.lawpaySecretKey) };
  });

  app.delete<{ Params: Static<typeof ProviderParams> }>('/integrations/:provider', {
    preHandler: requirePermission('integrations:manage'),
    schema: { tags: ['integrations'], summary: 'Disconnect: forget the firm\'s stored credentials and settings for a provider (audited)', security: BEARER, querystring: NoQuery, params: ProviderParams, response: { 204: Type.Null(), ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    const n = await db('integration_credentials').where({ tenant_id: p.tenantId, provider: req.params.provider }).delete();
    if (Number(n) === 0) return reply.code(404).send({ error: 'not found', message: `${req.params.provider} has nothing stored for this firm` });
    await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'integration.disconnect', target: req.params.provider });
    return reply.code(204).send();
  });
}
