// GET /api/on-call: who a transfer to {{firm.on_call}} rings, in order, for each flow the firm's calls run (the active
// version of every uploaded flow, and the server's default flow). The firm's own on-call list (PUT /api/firm) comes
// first: when it is set, every flow rings it, and the flow's firm.on_call is only the default it replaces. Each entry
// says which list it shows (`source`) and keeps the flow's own list and the rest of its firm: block (`flowFirm`) beside
// it, so the settings screen can show the defaults the firm's own facts replace.
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { parse } from 'yaml';
import type { AppDeps } from '../app-deps.js';
import { requirePermission } from '../auth/plugin.js';
import { firmFactsOf } from '../intake/firm-facts-repo.js';
import { BEARER, NoQuery, Nullable, PROTECTED_ERRORS } from './schemas.js';
import { tenantOf } from './scope.js';

const OnCall = Type.Object({
  flowId: Type.String({ description: 'Uploaded flow id, or the server default flow path' }),
  version: Nullable(Type.String({ description: 'Active stored version; null for the default flow' })),
  numbers: Type.Array(Type.String(), { description: 'What a transfer to on-call rings on this flow, first rung first: the firm\'s list when set, else the flow\'s firm.on_call' }),
  source: Type.Union([Type.Literal('firm'), Type.Literal('flow')], { description: 'firm: the firm\'s own list (PUT /api/firm on_call); flow: the flow\'s firm.on_call default' }),
  flowNumbers: Type.Array(Type.String(), { description: 'firm.on_call of that flow, first rung first (the default when the firm sets none)' }),
  flowFirm: Type.Record(Type.String(), Type.Unknown(), { description: 'The rest of that flow\'s firm: block as written (fee, hours, address...): the defaults for facts the firm does not set' }),
});

/** The flow's root `firm:` block as written; {} when there is none or the text is not readable as YAML. */
function firmBlockOf(yamlText: string): Record<string, unknown> {
  try {
    const firm = (parse(yamlText) as { firm?: unknown } | null)?.firm;
    return firm && typeof firm === 'object' && !Array.isArray(firm) ? (firm as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** firm.on_call of a flow's root YAML; [] when the text has none or is not readable as YAML. */
export function onCallOf(yamlText: string): string[] {
  const list = firmBlockOf(yamlText).on_call;
  return Array.isArray(list) ? list.filter((n): n is string => typeof n === 'string') : [];
}

export async function onCallRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const { db, config } = deps;

  app.get('/on-call', {
    preHandler: requirePermission('flows:read'),
    schema: { tags: ['flows'], summary: 'On-call numbers each flow the firm\'s calls run rings (the firm\'s list, else the flow\'s firm.on_call)', security: BEARER, querystring: NoQuery, response: { 200: Type.Array(OnCall), ...PROTECTED_ERRORS } },
  }, async (req) => {
    const tenantId = tenantOf(req);
    const rows = (await db('flow_versions').where({ tenant_id: tenantId, active: true }).orderBy('flow_id').select('flow_id', 'version', 'yaml')) as Record<string, unknown>[];
    // The same rule the call path applies (withFirmFacts): a non-empty firm list replaces the flow's.
    const firmList = (await firmFactsOf(db, tenantId))?.on_call ?? [];
    const entry = (flowId: string, version: string | null, yamlText: string) => {
      const { on_call: _list, sol_years: _rule, ...flowFirm } = firmBlockOf(yamlText);
      const flowNumbers = onCallOf(yamlText);
      return { flowId, version, numbers: firmList.length ? [...firmList] : flowNumbers, source: firmList.length ? 'firm' as const : 'flow' as const, flowNumbers, flowFirm };
    };
    const stored = rows.map((r) => entry(String(r.flow_id), String(r.version), String(r.yaml)));
    // A missing or unreadable default flow file is the server's problem, not this list's: it is left out.
    const fallback = await readFile(config.defaultFlow, 'utf8').then((t) => [entry(config.defaultFlow, null, t)], () => []);
    return [...stored, ...fallback];
  });
}
