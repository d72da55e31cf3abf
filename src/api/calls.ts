// GET /api/calls (filters and paging) and GET /api/calls/:callSid with its transcript. Read-only, tenant-scoped:
// another firm's call answers 404, exactly like one that does not exist.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { toIso } from '../auth/dates.js';
import { requirePermission } from '../auth/plugin.js';
import { BEARER, IsoDateTime, NoQuery, Nullable, Page, Paging, PROTECTED_ERRORS } from './schemas.js';
import { tenantOf } from './scope.js';
import { CallRecording, recordingView } from './recordings.js';

const CallQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Calls started at or after (ISO 8601)' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Calls started before (ISO 8601)' })),
  status: Type.Optional(Type.String({ maxLength: 32, description: 'in-progress, completed, failed...' })),
  outcome: Type.Optional(Type.String({ maxLength: 32, description: 'completed, transferred, message, conflict, abandoned' })),
  ...Paging,
}, { additionalProperties: false });

export const CallSummary = Type.Object({
  callSid: Type.String(),
  from: Type.String(),
  to: Type.String(),
  flowId: Type.String(),
  flowVersion: Type.String(),
  status: Type.String(),
  outcome: Nullable(Type.String()),
  endReason: Nullable(Type.String()),
  durationS: Nullable(Type.Integer()),
  startedAt: Nullable(IsoDateTime),
  endedAt: Nullable(IsoDateTime),
});

const Turn = Type.Object({
  seq: Type.Integer(),
  speaker: Type.String(),
  text: Type.String(),
  heardText: Nullable(Type.String()),
  interrupted: Type.Boolean(),
  startedAt: Nullable(IsoDateTime),
  endedAt: Nullable(IsoDateTime),
  llmFirstTokenMs: Nullable(Type.Integer()),
  ttsFirstByteMs: Nullable(Type.Integer()),
  firstFrameMs: Nullable(Type.Integer()),
});

const CallDetail = Type.Composite([CallSummary, Type.Object({ turns: Type.Array(Turn), intakeId: Nullable(Type.Integer()), recording: Nullable(CallRecording) })]);

type Row = Record<string, unknown>;

export function callSummary(r: Row): Static<typeof CallSummary> {
  return {
    callSid: String(r.call_sid),
    from: String(r.from_number),
    to: String(r.to_number),
    flowId: String(r.flow_id),
    flowVersion: String(r.flow_version),
    status: String(r.status),
    outcome: (r.outcome as string | null) ?? null,
    endReason: (r.end_reason as string | null) ?? null,
    durationS: r.duration_s === null || r.duration_s === undefined ? null : Number(r.duration_s),
    startedAt: toIso(r.started_at),
    endedAt: toIso(r.ended_at),
  };
}

function turn(r: Row): Static<typeof Turn> {
  const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return {
    seq: Number(r.seq),
    speaker: String(r.speaker),
    text: String(r.text),
    heardText: (r.heard_text as string | null) ?? null,
    interrupted: Boolean(r.interrupted),
    startedAt: toIso(r.started_at),
    endedAt: toIso(r.ended_at),
    llmFirstTokenMs: n(r.llm_first_token_ms),
    ttsFirstByteMs: n(r.tts_first_byte_ms),
    firstFrameMs: n(r.first_frame_ms),
  };
}

export async function callRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;

  app.get<{ Querystring: Static<typeof CallQuery> }>('/calls', {
    preHandler: requirePermission('calls:read'),
    schema: {
      tags: ['calls'], summary: 'Calls of the firm, newest first', security: BEARER,
      querystring: CallQuery, response: { 200: Page(CallSummary), ...PROTECTED_ERRORS },
    },
  }, async (req) => {
    const q = req.query;
    const base = db('calls').where({ tenant_id: tenantOf(req) });
    // Dates are bound as Date so knex stores and compares them the way the call path wrote them.
    if (q.from) base.where('started_at', '>=', new Date(q.from));
    if (q.to) base.where('started_at', '<', new Date(q.to));
    if (q.status) base.where({ status: q.status });
    if (q.outcome) base.where({ outcome: q.outcome });
    const [{ n }] = (await base.clone().count({ n: '*' })) as [{ n: number | string }];
    const rows = (await base.orderBy('started_at', 'desc').limit(q.limit).offset(q.offset)) as Row[];
    return { items: rows.map(callSummary), total: Number(n), limit: q.limit, offset: q.offset };
  });

  app.get<{ Params: { callSid: string } }>('/calls/:callSid', {
    preHandler: requirePermission('calls:read'),
    schema: {
      tags: ['calls'], summary: 'One call with its transcript (turns in order)', security: BEARER, querystring: NoQuery,
      params: Type.Object({ callSid: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false }),
      response: { 200: CallDetail, ...PROTECTED_ERRORS },
    },
  }, async (req, reply) => {
    const call = (await db('calls').where({ call_sid: req.params.callSid, tenant_id: tenantOf(req) }).first()) as Row | undefined;
    if (!call) return reply.code(404).send({ error: 'not found', message: 'no such call' });
    const turns = (await db('turns').where({ call_sid: req.params.callSid }).orderBy('seq')) as Row[];
    const intake = (await db('intakes').where({ call_sid: req.params.callSid, tenant_id: tenantOf(req) }).first('id')) as Row | undefined;
    return { ...callSummary(call), turns: turns.map(turn), intakeId: intake ? Number(intake.id) : null, recording: await recordingView(db, req.params.callSid) };
  });
}
