// GET /api/flows/:flowId/versions/:version/graph: the picture `hermes flows graph --format svg` draws, of a version
// stored for this firm, so the staff app can show a flow without a shell. Read-only and tenant-scoped.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { requirePermission } from '../auth/plugin.js';
import { FlowLoadError } from '../flows/index.js';
import { toSvg } from '../flows/graph.js';
import { loadProgram } from '../flows/load.js';
import { FLOW_ID_PATTERN, FLOW_ID_RULE } from './flow-names.js';
import { BEARER, explainedPattern, NoQuery, PROTECTED_ERRORS } from './schemas.js';
import { tenantOf } from './scope.js';
import { linkSubflowFolders } from './stored-flows.js';

const Params = Type.Object({
  flowId: Type.String({ minLength: 1, maxLength: 200, ...explainedPattern(FLOW_ID_PATTERN, FLOW_ID_RULE) }),
  version: Type.String({ minLength: 1, maxLength: 100 }),
}, { additionalProperties: false });
const Graph = Type.Object({ flowId: Type.String(), version: Type.String(), svg: Type.String({ description: 'A self-contained SVG document' }) });

export async function flowGraphRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get<{ Params: Static<typeof Params> }>('/flows/:flowId/versions/:version/graph', {
    preHandler: requirePermission('flows:read'),
    schema: { tags: ['flows'], summary: 'The flow graph of a stored version as SVG', security: BEARER, querystring: NoQuery, params: Params, response: { 200: Graph, ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const { flowId, version } = req.params;
    const tenantId = tenantOf(req);
    const row = (await deps.db('flow_versions').where({ tenant_id: tenantId, flow_id: flowId, version }).first('yaml')) as { yaml: string } | undefined;
    if (!row) return reply.code(404).send({ error: 'not found', message: 'no such flow version' });
    // The loader reads files (subflows resolve beside the main file), so the stored text goes to a temporary folder
    // with the bundled subflow folders linked in, exactly as stored-flows.ts does for calls.
    const dir = await mkdtemp(join(tmpdir(), 'hermes-flow-graph-'));
    try {
      await linkSubflowFolders(dir, dirname(deps.config.defaultFlow));
      const file = join(dir, `${flowId}.yaml`);
      await writeFile(file, row.yaml, 'utf8');
      return { flowId, version, svg: toSvg(await loadProgram(file)) };
    } catch (err) {
      // Stored versions were checked on upload; one that no longer loads (a bundled subflow changed) says why.
      if (err instanceof FlowLoadError) return reply.code(422).send({ error: 'invalid flow', message: err.message });
      throw err;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
}
