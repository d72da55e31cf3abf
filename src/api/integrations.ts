// Integration status (never a secret), the Clio connect link, and the outbox: view deliveries and retry one.
// Outbox rows are shown without their args (they carry caller details); retry only reschedules, the worker delivers.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { toIso } from '../auth/dates.js';
import { requirePermission } from '../auth/plugin.js';
import { BEARER, ErrorBody, IdParams, IsoDateTime, NoQuery, Nullable, Page, Paging, PROTECTED_ERRORS } from './schemas.js';
import { principalOf, tenantOf } from './scope.js';
// The OAuth flow itself (state, consent URL, callback at /integrations/clio/callback) belongs to the Clio integration.
import { startClioConnect } from '../integrations/clio/oauth.js';

const OUTBOX_STATUSES = ['pending', 'in_flight', 'delivered', 'dead'] as const;

const Integration = Type.Object({
  provider: Type.String(),
  connected: Type.Boolean({ description: 'Credentials stored (Clio) or configured on the server (LawPay, Zapier)' }),
  expiresAt: Nullable(IsoDateTime),
  updatedAt: Nullable(IsoDateTime),
  meta: Type.Record(Type.String(), Type.Unknown(), { description: 'Non-secret details (account name, region)' }),
});
export const OutboxItem = Type.Object({
  id: Type.Integer(), action: Type.String(), status: Type.String(), attempts: Type.Integer(), maxAttempts: Type.Integer(),
  nextAttemptAt: Nullable(IsoDateTime), lastError: Nullable(Type.String()), intakeId: Nullable(Type.Integer()),
  callSid: Nullable(Type.String()), createdAt: Nullable(IsoDateTime), deliveredAt: Nullable(IsoDateTime),
});
const OutboxQuery = Type.Object({ status: Type.Optional(Type.Union(OUTBOX_STATUSES.map((s) => Type.Literal(s)))), ...Paging }, { additionalProperties: false });

type Row = Record<string, unknown>;
const SECRETISH = /token|secret|password|key|code/i;
const nint = (v: unknown) => (v === null || v === undefined ? null : Number(v));

function safeMeta(raw: unknown): Record<string, unknown> {
  let meta: unknown = raw;
  try { if (typeof raw === 'string') meta = JSON.parse(raw); } catch { return {}; }
  if (typeof meta !== 'object' || meta === null) return {};
  const safe = Object.fromEntries(Object.entries(meta).filter(([k]) => !SECRETISH.test(k)));
  // A Zapier catch hook URL is its own secret (anyone holding it can post); show only where it points.
  if (typeof safe.hookUrl === 'string') {
    try { safe.hookHost = new URL(safe.hookUrl).host; } catch { /* not a URL: say nothing about it */ }
    delete safe.hookUrl;
  }
  return safe;
}

export function outboxItem(r: Row): Static<typeof OutboxItem> {
  return {
    id: Number(r.id), action: String(r.action), status: String(r.status), attempts: Number(r.attempts), maxAttempts: Number(r.max_attempts),
    nextAttemptAt: toIso(r.next_attempt_at), lastError: (r.last_error as string | null) ?? null, intakeId: nint(r.intake_id),
    callSid: (r.call_sid as string | null) ?? null, createdAt: toIso(r.created_at), deliveredAt: toIso(r.delivered_at),
  };
}

export async function integrationRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config } = deps;

  app.get('/integrations', {
    preHandler: requirePermission('integrations:manage'),
    schema: { tags: ['integrations'], summary: 'Which integrations are connected (no secrets)', security: BEARER, querystring: NoQuery, response: { 200: Type.Array(Integration), ...PROTECTED_ERRORS } },
  }, async (req) => {
    // secret_enc is never selected, so it cannot leak through a serialiser mistake.
    const rows = (await db('integration_credentials').where({ tenant_id: tenantOf(req) }).select('provider', 'meta', 'expires_at', 'updated_at')) as Row[];
    const stored = new Map(rows.map((r) => [String(r.provider), r]));
    const status = (provider: string, serverConfigured: boolean) => {
      const r = stored.get(provider);
      return { provider, connected: Boolean(r) || serverConfigured, expiresAt: toIso(r?.expires_at), updatedAt: toIso(r?.updated_at), meta: safeMeta(r?.meta) };
    };
    const known = ['clio', 'clio_grow', 'lawpay', 'stripe', 'zapier'];
    return [
      status('clio', false),
      status('clio_grow', false),
      status('lawpay', Boolean(config.lawpaySecretKey)),
      status('stripe', Boolean(config.stripeSecretKey)),
      status('zapier', Boolean(config.zapierHookUrl)),
      ...[...stored.keys()].filter((k) => !known.includes(k)).map((k) => status(k, false)),
    ];
  });

  app.post('/integrations/clio/connect', {
    preHandler: requirePermission('integrations:manage'),
    schema: {
      tags: ['integrations'], summary: 'Start connecting Clio: returns the consent URL to open in a browser (state valid 10 min)', security: BEARER, querystring: NoQuery,
      response: { 200: Type.Object({ url: Type.String(), state: Type.String(), expiresAt: IsoDateTime }), 409: ErrorBody, ...PROTECTED_ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    if (!config.clioClientId || !config.clioClientSecret || !config.publicUrl || !config.encryptionKey) {
      return reply.code(409).send({ error: 'not configured', message: 'set CLIO_CLIENT_ID, CLIO_CLIENT_SECRET, PUBLIC_URL and ENCRYPTION_KEY on the server first' });
    }
    const started = await startClioConnect(db, config, p.tenantId, new Date());
    await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'integration.connect_started', target: 'clio' });
    return { url: started.url, state: started.state, expiresAt: started.expiresAt.toISOString() };
  });

  app.get<{ Querystring: Static<typeof OutboxQuery> }>('/outbox', {
    preHandler: requirePermission('integrations:manage'),
    schema: { tags: ['integrations'], summary: 'Deliveries to Clio, LawPay SMS, Zapier: status, attempts, last error', security: BEARER, querystring: OutboxQuery, response: { 200: Page(OutboxItem), ...PROTECTED_ERRORS } },
  }, async (req) => {
    const q = req.query;
    const base = db('outbox').where({ tenant_id: tenantOf(req) });
    if (q.status) base.where({ status: q.status });
    const [{ n }] = (await base.clone().count({ n: '*' })) as [{ n: number | string }];
    const rows = (await base.orderBy('id', 'desc').limit(q.limit).offset(q.offset)) as Row[];
    return { items: rows.map(outboxItem), total: Number(n), limit: q.limit, offset: q.offset };
  });

  app.post<{ Params: Static<typeof IdParams> }>('/outbox/:id/retry', {
    preHandler: requirePermission('integrations:manage'),
    schema: { tags: ['integrations'], summary: 'Deliver a pending or dead row again now (audited)', security: BEARER, querystring: NoQuery, params: IdParams, response: { 200: OutboxItem, 409: ErrorBody, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    const row = (await db('outbox').where({ id: req.params.id, tenant_id: p.tenantId }).first()) as Row | undefined;
    if (!row) return reply.code(404).send({ error: 'not found', message: 'no such outbox row' });
    if (row.status === 'delivered' || row.status === 'in_flight') {
      return reply.code(409).send({ error: 'conflict', message: `row is ${String(row.status)}; only pending or dead rows can be retried` });
    }
    // A dead row has used its attempts; give it a fresh budget or the worker would bury it again at once.
    const patch = { status: 'pending', next_attempt_at: new Date(), ...(row.status === 'dead' ? { attempts: 0 } : {}) };
    await db.transaction(async (trx) => {
      await trx('outbox').where({ id: row.id, tenant_id: p.tenantId }).whereIn('status', ['pending', 'dead']).update(patch);
      await audit(trx, { tenantId: p.tenantId, userId: p.userId, action: 'outbox.retry', target: `outbox:${String(row.id)}`, details: { action: row.action, was: row.status } });
    });
    return outboxItem((await db('outbox').where({ id: row.id }).first()) as Row);
  });
}
