// The staff inbox and the review workflow: GET /api/inbox (what needs a call back first), PUT /api/intakes/:id/review
// (move an intake along new -> called_back -> consultation_booked / declined / not_a_fit, audited, with history) and
// GET /api/intakes/:id/reviews. Tenant-scoped like every admin route: another firm's intake is "not found".
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { toIso } from '../auth/dates.js';
import { requirePermission } from '../auth/plugin.js';
import type { Db } from '../db/knex.js';
import { parseJson } from '../db/knex.js';
import { canMove, isReviewStatus, REVIEW_MOVES, REVIEW_STATUSES, type ReviewStatus } from './review-workflow.js';
import { BEARER, ErrorBody, IdParams, IsoDateTime, NoQuery, Nullable, Page, Paging, PROTECTED_ERRORS } from './schemas.js';
import { principalOf, tenantOf } from './scope.js';

const ReviewStatusSchema = Type.Union(REVIEW_STATUSES.map((s) => Type.Literal(s)));
const Staff = Nullable(Type.Object({ id: Type.Integer(), email: Type.String() }));

const InboxQuery = Type.Object({
  view: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('all')], { default: 'open', description: 'open: calls nobody has worked yet; all: every call' })),
  ...Paging,
}, { additionalProperties: false });

const InboxItem = Type.Object({
  callSid: Type.String(),
  intakeId: Nullable(Type.Integer()),
  from: Type.String(),
  callStatus: Type.String(),
  outcome: Nullable(Type.String()),
  startedAt: Nullable(IsoDateTime),
  callerName: Nullable(Type.String()),
  callbackPhone: Nullable(Type.String()),
  practiceArea: Nullable(Type.String()),
  isEmergency: Type.Boolean(),
  solRisk: Type.Boolean(),
  courtDate: Nullable(Type.String({ description: 'The court date the caller gave (slot court_date), if any' })),
  intakeStatus: Nullable(Type.String()),
  reviewStatus: Nullable(ReviewStatusSchema),
  reviewedBy: Staff,
  reviewedAt: Nullable(IsoDateTime),
  allowedMoves: Type.Array(ReviewStatusSchema),
});

const ReviewEntry = Type.Object({ from: ReviewStatusSchema, to: ReviewStatusSchema, by: Staff, at: IsoDateTime, note: Nullable(Type.String()) });
const ReviewState = Type.Object({
  intakeId: Type.Integer(),
  reviewStatus: ReviewStatusSchema,
  allowedMoves: Type.Array(ReviewStatusSchema),
  history: Type.Array(ReviewEntry),
});
const ReviewBody = Type.Object({
  status: ReviewStatusSchema,
  note: Type.Optional(Type.String({ maxLength: 500 })),
}, { additionalProperties: false });

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const reviewOf = (v: unknown): ReviewStatus | null => (isReviewStatus(v) ? v : null);

function inboxItem(r: Row): Static<typeof InboxItem> {
  const slots = r.slots ? parseJson<Record<string, unknown>>(r.slots) : {};
  const review = r.intake_id === null || r.intake_id === undefined ? null : (reviewOf(r.review_status) ?? 'new');
  return {
    callSid: String(r.call_sid), intakeId: r.intake_id === null || r.intake_id === undefined ? null : Number(r.intake_id),
    from: String(r.from_number), callStatus: String(r.call_status), outcome: str(r.outcome), startedAt: toIso(r.started_at),
    callerName: str(r.caller_name), callbackPhone: str(r.callback_phone), practiceArea: str(r.practice_area),
    isEmergency: Boolean(r.is_emergency), solRisk: Boolean(r.sol_risk),
    courtDate: typeof slots.court_date === 'string' ? slots.court_date : null,
    intakeStatus: str(r.intake_status), reviewStatus: review,
    reviewedBy: r.reviewer_id === null || r.reviewer_id === undefined ? null : { id: Number(r.reviewer_id), email: String(r.reviewer_email) },
    reviewedAt: toIso(r.reviewed_at), allowedMoves: review ? [...REVIEW_MOVES[review]] : [],
  };
}

async function reviewState(db: Db, tenantId: number, intakeId: number): Promise<Static<typeof ReviewState> | null> {
  const row = (await db('intakes').where({ id: intakeId, tenant_id: tenantId }).first('review_status')) as Row | undefined;
  if (!row) return null;
  const status = reviewOf(row.review_status) ?? 'new';
  const history = (await db('intake_reviews as r').leftJoin('users as u', 'u.id', 'r.user_id')
    .where({ 'r.intake_id': intakeId, 'r.tenant_id': tenantId }).orderBy('r.id')
    .select('r.from_status', 'r.to_status', 'r.at', 'r.note', 'u.id as uid', 'u.email')) as Row[];
  return {
    intakeId, reviewStatus: status, allowedMoves: [...REVIEW_MOVES[status]],
    history: history.map((h) => ({
      from: reviewOf(h.from_status) ?? 'new', to: reviewOf(h.to_status) ?? 'new', at: toIso(h.at) ?? new Date(0).toISOString(),
      by: h.uid === null || h.uid === undefined ? null : { id: Number(h.uid), email: String(h.email) }, note: str(h.note),
    })),
  };
}

export async function inboxRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;

  app.get<{ Querystring: Static<typeof InboxQuery> }>('/inbox', {
    preHandler: requirePermission('intakes:read'),
    schema: {
      tags: ['intakes'], security: BEARER, querystring: InboxQuery, response: { 200: Page(InboxItem), ...PROTECTED_ERRORS },
      summary: 'Calls to work: open emergencies and messages first, then open intakes, then the rest; newest first within each',
    },
  }, async (req) => {
    const q = req.query;
    const open = "(i.id IS NULL OR i.review_status = 'new')";
    const base = db('calls as c').leftJoin('intakes as i', 'i.call_sid', 'c.call_sid').where('c.tenant_id', tenantOf(req));
    if ((q.view ?? 'open') === 'open') base.whereRaw(open);
    const [{ n }] = (await base.clone().count({ n: '*' })) as [{ n: number | string }];
    const rows = (await base.clone().leftJoin('users as u', 'u.id', 'i.reviewed_by')
      .select('c.call_sid', 'c.from_number', 'c.status as call_status', 'c.outcome', 'c.started_at', 'i.id as intake_id', 'i.caller_name',
        'i.callback_phone', 'i.practice_area', 'i.is_emergency', 'i.sol_risk', 'i.slots', 'i.status as intake_status', 'i.review_status',
        'i.reviewed_at', 'u.id as reviewer_id', 'u.email as reviewer_email')
      // Booleans are 0/1 on SQLite and true/false on PostgreSQL; CASE WHEN reads both.
      .orderByRaw(`CASE WHEN ${open} AND (i.is_emergency OR c.outcome = 'message') THEN 0 WHEN ${open} THEN 1 ELSE 2 END`)
      .orderBy('c.started_at', 'desc').limit(q.limit).offset(q.offset)) as Row[];
    return { items: rows.map(inboxItem), total: Number(n), limit: q.limit, offset: q.offset };
  });

  app.get<{ Params: Static<typeof IdParams> }>('/intakes/:id/reviews', {
    preHandler: requirePermission('intakes:read'),
    schema: { tags: ['intakes'], summary: 'Where staff are with an intake, and who moved it when', security: BEARER, querystring: NoQuery, params: IdParams, response: { 200: ReviewState, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const state = await reviewState(db, tenantOf(req), req.params.id);
    return state ?? reply.code(404).send({ error: 'not found', message: 'no such intake' });
  });

  app.put<{ Params: Static<typeof IdParams>; Body: Static<typeof ReviewBody> }>('/intakes/:id/review', {
    preHandler: requirePermission('intakes:write'),
    schema: {
      tags: ['intakes'], security: BEARER, querystring: NoQuery, params: IdParams, body: ReviewBody,
      summary: 'Move an intake to its next review step (new -> called_back -> consultation_booked / declined / not_a_fit); audited',
      response: { 200: ReviewState, ...PROTECTED_ERRORS, 409: ErrorBody },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const id = req.params.id;
    const row = (await db('intakes').where({ id, tenant_id: p.tenantId }).first('review_status')) as Row | undefined;
    if (!row) return reply.code(404).send({ error: 'not found', message: 'no such intake' });
    const from = reviewOf(row.review_status) ?? 'new';
    const to = req.body.status;
    if (!canMove(from, to)) {
      return reply.code(409).send({ error: 'conflict', message: `cannot move from ${from} to ${to}; from ${from} the next steps are ${REVIEW_MOVES[from].join(', ')}` });
    }
    const now = new Date();
    const moved = await db.transaction(async (trx) => {
      // Compare-and-set: two people pressing a button at once cannot both move the intake from the same step.
      const n = await trx('intakes').where({ id, tenant_id: p.tenantId, review_status: from }).update({ review_status: to, reviewed_by: p.userId, reviewed_at: now });
      if (n !== 1) return false;
      await trx('intake_reviews').insert({ intake_id: id, tenant_id: p.tenantId, user_id: p.userId, from_status: from, to_status: to, note: req.body.note ?? null, at: now });
      await audit(trx, { tenantId: p.tenantId, userId: p.userId, action: 'intake.review', target: `intake:${id}`, details: { from, to } });
      return true;
    });
    if (!moved) return reply.code(409).send({ error: 'conflict', message: 'someone else moved this intake a moment ago; reload and try again' });
    return reviewState(db, p.tenantId, id);
  });
}
