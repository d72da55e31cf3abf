// GET/PUT /api/firm: the facts the firm's callers hear (name, time zone, hours, holidays, main number, on-call list,
// consultation fee, address). Stored with the tenant; the flow's `firm:` block supplies whatever is not set here.
// Callers hear a change without a flow upload: on the next call through this instance, within the server's firm-facts
// cache time (15 s) on the others.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { requirePermission } from '../auth/plugin.js';
import { firmFactsOf, FirmFactsError, updateFirmFacts } from '../intake/firm-facts-repo.js';
import { BEARER, NoQuery, Nullable, PROTECTED_ERRORS } from './schemas.js';
import { principalOf, tenantOf } from './scope.js';

const Hours = Type.Object({
  days: Type.Array(Type.Union(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => Type.Literal(d))), { minItems: 1, maxItems: 7 }),
  open: Type.String({ pattern: '^[0-2][0-9]:[0-5][0-9]$' }),
  close: Type.String({ pattern: '^[0-2][0-9]:[0-5][0-9]$' }),
}, { additionalProperties: false });

const Facts = Type.Object({
  name: Type.String(),
  timezone: Type.String(),
  main_number: Nullable(Type.String({ description: 'E.164; where "talk to a person" transfers go. Never a number mapped to HERMES' })),
  on_call: Type.Array(Type.String(), { description: 'On-call attorney numbers (E.164), first tried first' }),
  consultation_fee: Nullable(Type.Number({ description: 'Dollars; 0 = free' })),
  address: Nullable(Type.String()),
  business_hours: Nullable(Hours),
  holidays: Type.Array(Type.String({ format: 'date' })),
  default_region: Nullable(Type.String()),
});

const FactsPatch = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  main_number: Type.Optional(Type.String({ maxLength: 32, description: '"" clears it (the flow\'s default applies)' })),
  on_call: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 10 })),
  consultation_fee: Type.Optional(Type.Number({ minimum: 0, maximum: 100_000 })),
  address: Type.Optional(Type.String({ maxLength: 300 })),
  business_hours: Type.Optional(Type.Union([Hours, Type.String({ maxLength: 100, description: 'e.g. "mon-fri 09:00-17:30"' })])),
  holidays: Type.Optional(Type.Array(Type.String({ format: 'date' }), { maxItems: 60 })),
  default_region: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
}, { additionalProperties: false, minProperties: 1 });

function shown(f: Record<string, unknown>): Static<typeof Facts> {
  return {
    name: String(f.name ?? ''), timezone: String(f.timezone ?? ''),
    main_number: (f.main_number as string | undefined) ?? null, on_call: (f.on_call as string[] | undefined) ?? [],
    consultation_fee: (f.consultation_fee as number | undefined) ?? null, address: (f.address as string | undefined) ?? null,
    business_hours: (f.business_hours as Static<typeof Hours> | undefined) ?? null, holidays: (f.holidays as string[] | undefined) ?? [],
    default_region: (f.default_region as string | undefined) ?? null,
  };
}

export async function firmRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;

  app.get('/firm', {
    preHandler: requirePermission('calls:read'),
    schema: { tags: ['firm'], summary: 'The facts the firm\'s callers hear (null or empty: the flow\'s firm: block applies)', security: BEARER, querystring: NoQuery, response: { 200: Facts, ...PROTECTED_ERRORS } },
  }, async (req) => shown((await firmFactsOf(db, tenantOf(req))) ?? {}));

  app.put<{ Body: Static<typeof FactsPatch> }>('/firm', {
    preHandler: requirePermission('firm:manage'),
    schema: {
      tags: ['firm'], summary: 'Change the facts callers hear; fields left out stay, "" or [] clears one (audited)', security: BEARER,
      querystring: NoQuery, body: FactsPatch, response: { 200: Facts, ...PROTECTED_ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    try {
      const facts = await updateFirmFacts(db, p.tenantId, req.body);
      deps.callRuntime?.firmChanged(p.tenantId);
      await audit(db, { tenantId: p.tenantId, userId: p.userId, action: 'firm.updated', target: 'firm', details: { fields: Object.keys(req.body) } });
      return shown(facts);
    } catch (err) {
      if (!(err instanceof FirmFactsError)) throw err;
      return reply.code(400).send({ error: 'bad request', message: err.message, details: err.problems.map((m) => ({ path: `/${m.split(':')[0]}`, message: m.slice(m.indexOf(':') + 1).trim() })) });
    }
  });
}
