// GET /api/on-call: who a transfer to {{firm.on_call}} rings, in order, for each flow the firm's calls run (the active
// version of every uploaded flow, and the server's default flow). The list lives in the flow (firm.on_call), so it is
// versioned with the flow and changed by uploading a new version; this route only reads it for the settings screen.
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import type { AppDeps } from '../app-deps.js';
import { requirePermission } from '../auth/plugin.js';
import { BEARER, NoQuery, Nullable, PROTECTED_ERRORS } from './schemas.js';
import { tenantOf } from './scope.js';

const OnCall = Type.Object({
  flowId: Type.String({ description: 'Uploaded flow id, or the server default flow path' }),
  version: Nullable(Type.String({ description: 'Active stored version; null for the default flow' })),
  numbers: Type.Array(Type.String(), { description: 'firm.on_call of that flow, first rung first' }),
});

/** firm.on_call of a flow's root YAML; [] when the text has none or is not readable as YAML. */
export function onCallOf(yamlText: string): string[] {
  try {
    const root = parse(yamlText) as { firm?: { on_call?: unknown } } | null;
    const list = root?.firm?.on_call;
    return Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

export async function onCallRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config } = deps;

  app.get('/on-call', {
    preHandler: requirePermission('flows:read'),
    schema: { tags: ['flows'], summary: 'On-call numbers (firm.on_call) of each flow the firm\'s calls run', security: BEARER, querystring: NoQuery, response: { 200: Type.Array(OnCall), ...PROTECTED_ERRORS } },
  }, async (req) => {
    const rows = (await db('flow_versions').where({ tenant_id: tenantOf(req), active: true }).orderBy('flow_id').select('flow_id', 'version', 'yaml')) as Record<string, unknown>[];
    const stored = rows.map((r) => ({ flowId: String(r.flow_id), version: String(r.version), numbers: onCallOf(String(r.yaml)) }));
    // A missing or unreadable default flow file is the server's problem, not this list's: it is left out.
    const fallback = await readFile(config.defaultFlow, 'utf8').then((t) => [{ flowId: config.defaultFlow, version: null, numbers: onCallOf(t) }], () => []);
    return [...stored, ...fallback];
  });
}
