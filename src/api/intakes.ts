// Intakes of the firm: list, detail (slots as recorded), and a status change by staff (audited).
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { toIso } from '../auth/dates.js';
import { requirePermission } from '../auth/plugin.js';
import { parseJson } from '../db/knex.js';
import { BEARER, IdParams, IsoDateTime, NoQuery, Nullable, Page, Paging, PROTECTED_ERRORS } from './schemas.js';
import { principalOf, tenantOf } from './scope.js';

export const INTAKE_STATUSES = ['partial', 'complete', 'abandoned', 'conflict', 'transferred'] as const;
const Status = Type.Union(INTAKE_STATUSES.map((s) => Type.Literal(s)));

const IntakeQuery = Type.Object({
  status: Type.Optional(Status),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Intakes of calls started at or after' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Intakes of calls started before' })),
  emergency: Type.Optional(Type.Boolean()),
  ...Paging,
}, { additionalProperties: false });

const IntakeSummary = Type.Object({
  id: Type.Integer(),
  callSid: Type.String(),
  flowId: Type.String(),
  status: Type.String(),
  callerName: Nullable(Type.String()),
  callbackPhone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  practiceArea: Nullable(Type.String()),
  incidentDate: Nullable(Type.String()),
  isEmergency: Nullable(Type.Boolean()),
  solRisk: Nullable(Type.Boolean()),
  paymentStatus: Nullable(Type.String()),
  createdAt: Nullable(IsoDateTime),
  updatedAt: Nullable(IsoDateTime),
});
const Party = Type.Object({
  name: Type.String({ description: 'The person or organisation, as the conflict check searches it' }),
  relationship: Type.Optional(Type.String({ description: 'The caller\'s relationship to them, in English: "husband", "other driver", "employer"' })),
  phrase: Type.String({ description: 'The caller\'s own words the name was taken from' }),
});
const IntakeDetail = Type.Composite([IntakeSummary, Type.Object({
  slots: Type.Record(Type.String(), Type.Unknown()),
  confirmedSlots: Type.Array(Type.String()),
  /** Slots whose value was read back to the caller and confirmed by them (a subset of confirmedSlots). */
  readBackSlots: Type.Array(Type.String()),
  /**
   * Per party slot (opposing party, other driver, employer): each party its value names, with the caller's
   * relationship to them and the caller's own words. The slot value holds the names only.
   */
  parties: Type.Record(Type.String(), Type.Array(Party)),
})]);

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const bool = (v: unknown) => (v === null || v === undefined ? null : Boolean(v));

function summary(r: Row): Static<typeof IntakeSummary> {
  return {
    id: Number(r.id), callSid: String(r.call_sid), flowId: String(r.flow_id), status: String(r.status),
    callerName: str(r.caller_name), callbackPhone: str(r.callback_phone), email: str(r.email),
    practiceArea: str(r.practice_area), incidentDate: str(r.incident_date), isEmergency: bool(r.is_emergency),
    solRisk: bool(r.sol_risk), paymentStatus: str(r.payment_status), createdAt: toIso(r.created_at), updatedAt: toIso(r.updated_at),
  };
}

export async function intakeRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;

  app.get<{ Querystring: Static<typeof IntakeQuery> }>('/intakes', {
    preHandler: requirePermission('intakes:read'),
    schema: { tags: ['intakes'], summary: 'Intakes of the firm, newest first', security: BEARER, querystring: IntakeQuery, response: { 200: Page(IntakeSummary), ...PROTECTED_ERRORS } },
  }, async (req) => {
    const q = req.query;
    const base = db('intakes').where({ tenant_id: tenantOf(req) });
    if (q.status) base.where({ status: q.status });
    // Dated by the call (started_at is always written explicitly; created_at may be a text default on SQLite).
    if (q.from || q.to) {
      const calls = db('calls').where({ tenant_id: tenantOf(req) }).select('call_sid');
      if (q.from) calls.where('started_at', '>=', new Date(q.from));
      if (q.to) calls.where('started_at', '<', new Date(q.to));
      base.whereIn('call_sid', calls);
    }
    if (q.emergency !== undefined) base.where({ is_emergency: q.emergency });
    const [{ n }] = (await base.clone().count({ n: '*' })) as [{ n: number | string }];
    const rows = (await base.orderBy('id', 'desc').limit(q.limit).offset(q.offset)) as Row[];
    return { items: rows.map(summary), total: Number(n), limit: q.limit, offset: q.offset };
  });

  app.get<{ Params: Static<typeof IdParams> }>('/intakes/:id', {
    preHandler: requirePermission('intakes:read'),
    schema: { tags: ['intakes'], summary: 'One intake with every slot', security: BEARER, querystring: NoQuery, params: IdParams, response: { 200: IntakeDetail, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const row = (await db('intakes').where({ id: req.params.id, tenant_id: tenantOf(req) }).first()) as Row | undefined;
    if (!row) return reply.code(404).send({ error: 'not found', message: 'no such intake' });
    return { ...summary(row), slots: parseJson<Record<string, unknown>>(row.slots), confirmedSlots: parseJson<string[]>(row.confirmed_slots), readBackSlots: row.read_back_slots === undefined || row.read_back_slots === null ? [] : parseJson<string[]>(row.read_back_slots), parties: row.parties === undefined || row.parties === null ? {} : parseJson<Static<typeof IntakeDetail>['parties']>(row.parties) };
  });

  const StatusBody = Type.Object({ status: Status }, { additionalProperties: false });
  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof StatusBody> }>('/intakes/:id', {
    preHandler: requirePermission('intakes:write'),
    schema: { tags: ['intakes'], summary: 'Change the status of an intake (audited)', security: BEARER, querystring: NoQuery, params: IdParams, body: StatusBody, response: { 200: IntakeSummary, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    const row = (await db('intakes').where({ id: req.params.id, tenant_id: p.tenantId }).first()) as Row | undefined;
    if (!row) return reply.code(404).send({ error: 'not found', message: 'no such intake' });
    const now = new Date();
    await db.transaction(async (trx) => {
      await trx('intakes').where({ id: req.params.id, tenant_id: p.tenantId }).update({ status: req.body.status, updated_at: now });
      await audit(trx, { tenantId: p.tenantId, userId: p.userId, action: 'intake.status', target: `intake:${req.params.id}`, details: { from: row.status, to: req.body.status } });
    });
    return summary({ ...row, status: req.body.status, updated_at: now });
  });
}
