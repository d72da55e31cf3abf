// Phone number -> flow (and channel) mapping of the firm. Numbers are validated and stored in E.164; a number can point only at one
// of the firm's uploaded flows or the server's default flow, never at an arbitrary file on the server.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { AppDeps } from '../app-deps.js';
import type { ChannelName } from '../config.js';
import { audit } from '../auth/audit.js';
import { toIso } from '../auth/dates.js';
import { requirePermission } from '../auth/plugin.js';
import { BEARER, ErrorBody, IdParams, IsoDateTime, NoQuery, Nullable, PROTECTED_ERRORS } from './schemas.js';
import { principalOf, tenantOf } from './scope.js';
import { parseStoredFlowRef, storedFlowRef } from './stored-flows.js';

/** The channels a number can answer on (the CHANNEL setting's values); null follows the server's CHANNEL. */
const CHANNELS = ['media-streams', 'conversation-relay', 'gather'] as const satisfies readonly ChannelName[];
const Channel = Type.Union(CHANNELS.map((c) => Type.Literal(c)), {
  description: 'media-streams: our speech providers; conversation-relay: Twilio recognises and speaks; gather: one TwiML <Gather> round trip per turn (no speech provider of ours, no barge-in mid-line)',
});

const Mapping = Type.Object({
  id: Type.Integer(),
  e164: Type.String(),
  flow: Type.String({ description: 'Uploaded flow id, or the server default flow path' }),
  flowVersion: Nullable(Type.String({ description: 'The stored version calls run (follows activation); null for the default flow' })),
  channel: Nullable(Channel),
  createdAt: Nullable(IsoDateTime),
});
const MapBody = Type.Object({
  number: Type.String({ minLength: 3, maxLength: 32, description: 'The Twilio number, E.164 (+13125550100) or national US format' }),
  flow: Type.String({ minLength: 1, maxLength: 200, description: 'An uploaded flow id, or the server default flow' }),
  /** null: the server's CHANNEL setting; absent: unchanged (null for a new number). */
  channel: Type.Optional(Nullable(Channel)),
}, { additionalProperties: false });

type Row = Record<string, unknown>;
const mapping = (r: Row): Static<typeof Mapping> => {
  const stored = parseStoredFlowRef(String(r.flow));
  const channel = CHANNELS.find((c) => c === r.channel) ?? null;
  return { id: Number(r.id), e164: String(r.e164), flow: stored?.flowId ?? String(r.flow), flowVersion: stored?.version ?? null, channel, createdAt: toIso(r.created_at) };
};

/** E.164 form of `raw`, or null when it is not a valid phone number (national numbers are read as US). */
export function toE164(raw: string): string | null {
  const n = parsePhoneNumberFromString(raw.trim(), 'US');
  return n && n.isValid() ? n.number : null;
}

export async function numberRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db } = deps;

  app.get('/numbers', {
    preHandler: requirePermission('flows:read'),
    schema: { tags: ['numbers'], summary: 'Phone numbers of the firm and the flow each answers with', security: BEARER, querystring: NoQuery, response: { 200: Type.Array(Mapping), ...PROTECTED_ERRORS } },
  }, async (req) => ((await db('phone_numbers').where({ tenant_id: tenantOf(req) }).orderBy('e164')) as Row[]).map(mapping));

  app.put<{ Body: Static<typeof MapBody> }>('/numbers', {
    preHandler: requirePermission('flows:write'),
    schema: { tags: ['numbers'], summary: 'Map a number to a flow (creates or updates; audited)', security: BEARER, querystring: NoQuery, body: MapBody, response: { 200: Mapping, 409: ErrorBody, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    const e164 = toE164(req.body.number);
    if (!e164) return reply.code(400).send({ error: 'validation failed', message: 'body.number is not a valid phone number', details: [{ path: 'body.number', message: 'is not a valid phone number (use E.164, e.g. +13125550100)' }] });
    let flow = req.body.flow;
    if (flow !== deps.config.defaultFlow) {
      const versions = (await db('flow_versions').where({ tenant_id: p.tenantId, flow_id: flow }).select('version', 'active')) as Row[];
      const problem = versions.length === 0 ? 'is not one of the firm\'s uploaded flows (POST /api/flows first)'
        : !versions.some((v) => v.active) ? 'has no active version (POST /api/flows/{flowId}/versions/{version}/activate first)' : null;
      if (problem) return reply.code(400).send({ error: 'validation failed', message: `body.flow "${flow}" ${problem}`, details: [{ path: 'body.flow', message: problem }] });
      // The stored reference names the active version; activating another version moves the number with it.
      flow = storedFlowRef({ tenantId: p.tenantId, flowId: flow, version: String(versions.find((v) => v.active)!.version) });
    }
    const existing = (await db('phone_numbers').where({ e164 }).first()) as Row | undefined;
    // Deliberately vague: the other firm's name or id is not ours to reveal.
    if (existing && Number(existing.tenant_id) !== p.tenantId) return reply.code(409).send({ error: 'conflict', message: 'this number is assigned to another account' });
    const channel = req.body.channel;
    const set = { flow, ...(channel !== undefined ? { channel } : {}) };
    await db.transaction(async (trx) => {
      if (existing) await trx('phone_numbers').where({ id: existing.id }).update(set);
      else await trx('phone_numbers').insert({ e164, tenant_id: p.tenantId, ...set, created_at: new Date() });
      const details = { flow, previous: existing?.flow ?? null, ...(channel !== undefined ? { channel, previousChannel: existing?.channel ?? null } : {}) };
      await audit(trx, { tenantId: p.tenantId, userId: p.userId, action: 'number.map', target: `number:${e164.slice(-4)}`, details });
    });
    return mapping((await db('phone_numbers').where({ e164 }).first()) as Row);
  });

  app.delete<{ Params: Static<typeof IdParams> }>('/numbers/:id', {
    preHandler: requirePermission('flows:write'),
    schema: { tags: ['numbers'], summary: 'Remove a number from the firm (audited)', security: BEARER, querystring: NoQuery, params: IdParams, response: { 204: Type.Null(), ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const p = principalOf(req);
    const row = (await db('phone_numbers').where({ id: req.params.id, tenant_id: p.tenantId }).first()) as Row | undefined;
    if (!row) return reply.code(404).send({ error: 'not found', message: 'no such number' });
    await db.transaction(async (trx) => {
      await trx('phone_numbers').where({ id: row.id }).delete();
      await audit(trx, { tenantId: p.tenantId, userId: p.userId, action: 'number.unmap', target: `number:${String(row.e164).slice(-4)}` });
    });
    return reply.code(204).send();
  });
}
