// Flow versions of the firm: upload (validated, file:line:col errors), list, read one, activate. A stored version is
// immutable: the same id+version with different YAML is refused, so a call's recorded flow_version means one text.
import { dirname } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { audit } from '../auth/audit.js';
import { toIso } from '../auth/dates.js';
import { requirePermission } from '../auth/plugin.js';
import { InputError } from './errors.js';
import { validateFlowText } from './flow-check.js';
import { bundledFolders, FLOW_FILE_NAME_PATTERN, FLOW_FILE_NAME_RULE, FLOW_ID_PATTERN, FLOW_ID_RULE, flowFileNameProblem, MAX_FLOW_FILE_NAME } from './flow-names.js';
import { BEARER, ErrorBody, explainedPattern, IsoDateTime, NoQuery, Nullable, PROTECTED_ERRORS } from './schemas.js';
import { principalOf, tenantOf } from './scope.js';
import { storedFlowRef } from './stored-flows.js';

const MAX_FLOW_BYTES = 512 * 1024;

const Upload = Type.Object({
  yaml: Type.String({ minLength: 1, maxLength: MAX_FLOW_BYTES, description: 'The flow file text' }),
  fileName: Type.Optional(Type.String({
    minLength: 1, maxLength: MAX_FLOW_FILE_NAME, ...explainedPattern(FLOW_FILE_NAME_PATTERN, FLOW_FILE_NAME_RULE),
    description: 'Name used in error positions (default flow.yaml): letters, digits, - and _, optional .yaml/.yml; not a bundled folder name such as practice',
  })),
  activate: Type.Optional(Type.Boolean({ default: false, description: 'Make this the version new calls run' })),
}, { additionalProperties: false });

const Version = Type.Object({
  flowId: Type.String(),
  version: Type.String(),
  active: Type.Boolean(),
  createdBy: Nullable(Type.Integer()),
  createdAt: Nullable(IsoDateTime),
});
const VersionWithYaml = Type.Composite([Version, Type.Object({ yaml: Type.String() })]);
const FlowProblems = Type.Composite([ErrorBody, Type.Object({
  problems: Type.Array(Type.Object({ file: Type.String(), line: Type.Integer(), col: Type.Integer(), message: Type.String() })),
})]);
const FlowId = Type.String({ minLength: 1, maxLength: 200, ...explainedPattern(FLOW_ID_PATTERN, FLOW_ID_RULE) });
const FlowParams = Type.Object({ flowId: FlowId }, { additionalProperties: false });
const VersionParams = Type.Object({ flowId: FlowId, version: Type.String({ minLength: 1, maxLength: 100 }) }, { additionalProperties: false });

type Row = Record<string, unknown>;
const version = (r: Row): Static<typeof Version> => ({
  flowId: String(r.flow_id), version: String(r.version), active: Boolean(r.active),
  createdBy: r.created_by === null || r.created_by === undefined ? null : Number(r.created_by), createdAt: toIso(r.created_at),
});
const COLUMNS = ['flow_id', 'version', 'active', 'created_by', 'created_at'];

export async function flowRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;

  app.post<{ Body: Static<typeof Upload> }>('/flows', {
    preHandler: requirePermission('flows:write'),
    bodyLimit: MAX_FLOW_BYTES * 2,
    schema: {
      tags: ['flows'], summary: 'Upload a flow version (YAML checked; problems come back as file:line:col)', security: BEARER, querystring: NoQuery,
      body: Upload, response: { 201: Version, 200: Version, 409: ErrorBody, 422: FlowProblems, ...PROTECTED_ERRORS },
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    const file = req.body.fileName ?? 'flow.yaml';
    const subflowRoot = dirname(deps.config.defaultFlow);
    // The schema has the character rule; the bundled folders the upload is linked beside are known only here.
    const nameProblem = flowFileNameProblem(file, await bundledFolders(subflowRoot));
    if (nameProblem) throw new InputError('body.fileName', nameProblem);
    const check = await validateFlowText(req.body.yaml, file, subflowRoot);
    if (!check.ok) {
      const message = check.problems.map((x) => `${x.file}:${x.line}:${x.col}: ${x.message}`).join('\n');
      return reply.code(422).send({ error: 'invalid flow', message, problems: check.problems });
    }
    const key = { tenant_id: p.tenantId, flow_id: check.flowId, version: check.version };
    const existing = (await db('flow_versions').where(key).first()) as Row | undefined;
    if (existing && existing.yaml !== req.body.yaml) {
      return reply.code(409).send({ error: 'conflict', message: `${check.flowId} version ${check.version} exists with other content; raise "version" in the YAML` });
    }
    await db.transaction(async (trx) => {
      if (!existing) await trx('flow_versions').insert({ ...key, yaml: req.body.yaml, active: false, created_by: p.userId, created_at: new Date() });
      if (req.body.activate) await activate(trx, p.tenantId, check.flowId, check.version);
      await audit(trx, { tenantId: p.tenantId, userId: p.userId, action: 'flow.upload', target: `flow:${check.flowId}@${check.version}`, details: { activate: Boolean(req.body.activate), unchanged: Boolean(existing) } });
    });
    const row = (await db('flow_versions').where(key).first(COLUMNS)) as Row;
    return reply.code(existing ? 200 : 201).send(version(row));
  });

  app.get('/flows', {
    preHandler: requirePermission('flows:read'),
    schema: { tags: ['flows'], summary: 'Every version of every flow of the firm (without the YAML)', security: BEARER, querystring: NoQuery, response: { 200: Type.Array(Version), ...PROTECTED_ERRORS } },
  }, async (req) => {
    const rows = (await db('flow_versions').where({ tenant_id: tenantOf(req) }).orderBy([{ column: 'flow_id' }, { column: 'id', order: 'desc' }]).select(COLUMNS)) as Row[];
    return rows.map(version);
  });

  app.get<{ Params: Static<typeof FlowParams> }>('/flows/:flowId/versions', {
    preHandler: requirePermission('flows:read'),
    schema: { tags: ['flows'], summary: 'Versions of one flow, newest first', security: BEARER, querystring: NoQuery, params: FlowParams, response: { 200: Type.Array(Version), ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const rows = (await db('flow_versions').where({ tenant_id: tenantOf(req), flow_id: req.params.flowId }).orderBy('id', 'desc').select(COLUMNS)) as Row[];
    if (rows.length === 0) return reply.code(404).send({ error: 'not found', message: 'no such flow' });
    return rows.map(version);
  });

  app.get<{ Params: Static<typeof VersionParams> }>('/flows/:flowId/versions/:version', {
    preHandler: requirePermission('flows:read'),
    schema: { tags: ['flows'], summary: 'One flow version with its YAML', security: BEARER, querystring: NoQuery, params: VersionParams, response: { 200: VersionWithYaml, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const row = (await db('flow_versions').where({ tenant_id: tenantOf(req), flow_id: req.params.flowId, version: req.params.version }).first()) as Row | undefined;
    if (!row) return reply.code(404).send({ error: 'not found', message: 'no such flow version' });
    return { ...version(row), yaml: String(row.yaml) };
  });

  app.post<{ Params: Static<typeof VersionParams> }>('/flows/:flowId/versions/:version/activate', {
    preHandler: requirePermission('flows:write'),
    schema: { tags: ['flows'], summary: 'Make a stored version the one new calls run (audited)', security: BEARER, querystring: NoQuery, params: VersionParams, response: { 200: Version, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    const key = { tenant_id: p.tenantId, flow_id: req.params.flowId, version: req.params.version };
    if (!(await db('flow_versions').where(key).first('id'))) return reply.code(404).send({ error: 'not found', message: 'no such flow version' });
    await db.transaction(async (trx) => {
      await activate(trx, p.tenantId, req.params.flowId, req.params.version);
      await audit(trx, { tenantId: p.tenantId, userId: p.userId, action: 'flow.activate', target: `flow:${req.params.flowId}@${req.params.version}` });
    });
    return version((await db('flow_versions').where(key).first(COLUMNS)) as Row);
  });
}

/** Exactly one active version per flow id and firm; the firm's numbers that run this flow switch to it. */
async function activate(db: AppDeps['db'], tenantId: number, flowId: string, v: string): Promise<void> {
  await db('flow_versions').where({ tenant_id: tenantId, flow_id: flowId }).whereNot({ version: v }).update({ active: false });
  await db('flow_versions').where({ tenant_id: tenantId, flow_id: flowId, version: v }).update({ active: true });
  const prefix = storedFlowRef({ tenantId, flowId, version: '' });
  const numbers = (await db('phone_numbers').where({ tenant_id: tenantId }).select('id', 'flow')) as { id: number; flow: string }[];
  const moving = numbers.filter((n) => n.flow.startsWith(prefix)).map((n) => n.id);
  if (moving.length) await db('phone_numbers').whereIn('id', moving).update({ flow: storedFlowRef({ tenantId, flowId, version: v }) });
}
