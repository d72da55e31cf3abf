// Analytics summary (calls per day in the firm's time zone, completed intakes, emergencies, turn latency) and the
// billing summary (consultation-fee payments by status). Aggregates only: no caller details leave these routes.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import type { AppDeps } from '../app-deps.js';
import { toDate } from '../auth/dates.js';
import { requirePermission } from '../auth/plugin.js';
import { BEARER, IsoDateTime, Nullable, PROTECTED_ERRORS } from './schemas.js';
import { tenantOf } from './scope.js';

const DEFAULT_DAYS = 30;
const MAX_RANGE_DAYS = 366;

const RangeQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: `Start (default ${DEFAULT_DAYS} days ago)` })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'End, exclusive (default now)' })),
}, { additionalProperties: false });

const Summary = Type.Object({
  from: IsoDateTime,
  to: IsoDateTime,
  timezone: Type.String(),
  calls: Type.Integer(),
  callsPerDay: Type.Array(Type.Object({ day: Type.String({ description: 'YYYY-MM-DD in the firm time zone' }), calls: Type.Integer() })),
  completedIntakes: Type.Integer(),
  emergencies: Type.Integer(),
  turnLatencyMs: Type.Object({
    samples: Type.Integer({ description: 'Agent turns with a measured first frame' }),
    avg: Nullable(Type.Number()),
    p95: Nullable(Type.Number()),
  }),
});
const Billing = Type.Object({
  from: IsoDateTime, to: IsoDateTime,
  payments: Type.Array(Type.Object({ status: Type.String(), intakes: Type.Integer() })),
});

type Range = { from: Date; to: Date };

function range(q: Static<typeof RangeQuery>): Range | string {
  const to = q.to ? new Date(q.to) : new Date();
  const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_DAYS * 86_400_000);
  if (from >= to) return 'querystring.from must be before querystring.to';
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * 86_400_000) return `the range may span at most ${MAX_RANGE_DAYS} days`;
  return { from, to };
}

export async function analyticsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;
  const callsIn = (r: Range, tenantId: number) =>
    db('calls').where({ tenant_id: tenantId }).where('started_at', '>=', r.from).where('started_at', '<', r.to).select('call_sid');
  const badRange = (message: string) => ({ error: 'validation failed', message, details: [{ path: 'querystring.from', message }] });

  app.get<{ Querystring: Static<typeof RangeQuery> }>('/analytics/summary', {
    preHandler: requirePermission('analytics:read'),
    schema: { tags: ['analytics'], summary: 'Calls per day, completed intakes, emergencies, average and p95 turn latency', security: BEARER, querystring: RangeQuery, response: { 200: Summary, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const r = range(req.query);
    if (typeof r === 'string') return reply.code(400).send(badRange(r));
    const tenantId = tenantOf(req);
    const tenant = (await db('tenants').where({ id: tenantId }).first('timezone')) as { timezone: string } | undefined;
    const zone = tenant?.timezone ?? 'UTC';

    const calls = db('calls').where({ tenant_id: tenantId }).where('started_at', '>=', r.from).where('started_at', '<', r.to);
    // Bucketing in JS keeps the day boundaries in the firm's zone identical on SQLite and PostgreSQL.
    const perDay = new Map<string, number>();
    for (const row of (await calls.clone().select('started_at')) as { started_at: unknown }[]) {
      const d = toDate(row.started_at);
      if (!d) continue;
      const day = DateTime.fromJSDate(d, { zone }).toISODate() ?? 'unknown';
      perDay.set(day, (perDay.get(day) ?? 0) + 1);
    }

    // Intakes are dated by their call: calls.started_at is always written by the call path, while created_at may be a
    // CURRENT_TIMESTAMP text default that SQLite would not compare with a bound Date.
    const intakes = db('intakes').where({ tenant_id: tenantId }).whereIn('call_sid', callsIn(r, tenantId));
    const count = async (q: typeof intakes) => Number(((await q.count({ n: '*' })) as [{ n: number | string }])[0].n);
    const completedIntakes = await count(intakes.clone().where({ status: 'complete' }));
    const emergencies = await count(intakes.clone().where({ is_emergency: true }));

    const latency = db('turns').join('calls', 'turns.call_sid', 'calls.call_sid')
      .where('calls.tenant_id', tenantId).where('calls.started_at', '>=', r.from).where('calls.started_at', '<', r.to)
      .whereNotNull('turns.first_frame_ms');
    const [agg] = (await latency.clone().count({ n: '*' }).avg({ avg: 'turns.first_frame_ms' })) as [{ n: number | string; avg: number | string | null }];
    const samples = Number(agg.n);
    let p95: number | null = null;
    if (samples > 0) {
      // Nearest-rank percentile: the ceil(0.95 n)-th smallest value.
      const rank = Math.ceil(0.95 * samples);
      const [row] = (await latency.clone().orderBy('turns.first_frame_ms').offset(rank - 1).limit(1).select('turns.first_frame_ms as v')) as { v: number }[];
      p95 = row ? Number(row.v) : null;
    }
    return {
      from: r.from.toISOString(), to: r.to.toISOString(), timezone: zone,
      calls: [...perDay.values()].reduce((a, b) => a + b, 0),
      callsPerDay: [...perDay.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([day, n]) => ({ day, calls: n })),
      completedIntakes, emergencies,
      turnLatencyMs: { samples, avg: samples ? Math.round(Number(agg.avg) * 10) / 10 : null, p95 },
    };
  });

  app.get<{ Querystring: Static<typeof RangeQuery> }>('/billing/summary', {
    preHandler: requirePermission('billing:read'),
    schema: { tags: ['analytics'], summary: 'Consultation-fee payment links by status', security: BEARER, querystring: RangeQuery, response: { 200: Billing, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const r = range(req.query);
    if (typeof r === 'string') return reply.code(400).send(badRange(r));
    const rows = (await db('intakes').where({ tenant_id: tenantOf(req) }).whereIn('call_sid', callsIn(r, tenantOf(req)))
      .whereNotNull('payment_status').groupBy('payment_status').select('payment_status').count({ n: '*' })) as { payment_status: string; n: number | string }[];
    return { from: r.from.toISOString(), to: r.to.toISOString(), payments: rows.map((x) => ({ status: x.payment_status, intakes: Number(x.n) })) };
  });
}
