// Flows uploaded through the admin API live in flow_versions, not on disk. A phone number mapped to one stores a
// reference that names the exact version (stored:<tenantId>/<flowId>@<version>), so a flow registry that caches by
// reference never runs a stale version, and every instance behind nginx loads the same text from the database.
// loadStoredFlow turns such a reference into a LoadedFlow with the flow loader (src/services.ts wires it in).
import { mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Db } from '../db/knex.js';
import { loadFlow, type LoadedFlow } from '../flows/index.js';

const PREFIX = 'stored:';
const REF = /^stored:(\d+)\/([^@/]+)@(.+)$/;

export interface StoredFlowRef {
  tenantId: number;
  flowId: string;
  version: string;
}

export function storedFlowRef(r: StoredFlowRef): string {
  return `${PREFIX}${r.tenantId}/${r.flowId}@${r.version}`;
}

export function isStoredFlowRef(ref: string): boolean {
  return ref.startsWith(PREFIX);
}

export function parseStoredFlowRef(ref: string): StoredFlowRef | null {
  const m = REF.exec(ref);
  return m ? { tenantId: Number(m[1]), flowId: m[2]!, version: m[3]! } : null;
}

/** Links the folders next to the bundled flows (practice/...) into `dir`, so stored flows can call those subflows. */
export async function linkSubflowFolders(dir: string, subflowRoot: string | null): Promise<void> {
  if (!subflowRoot) return;
  const root = resolve(subflowRoot);
  for (const e of await readdir(root, { withFileTypes: true }).catch(() => [])) {
    if (e.isDirectory()) await symlink(join(root, e.name), join(dir, e.name), 'dir');
  }
}

/** Loads the stored version a reference names; throws when it does not exist or no longer loads. */
export async function loadStoredFlow(db: Db, ref: string, subflowRoot: string | null): Promise<LoadedFlow> {
  const r = parseStoredFlowRef(ref);
  if (!r) throw new Error(`not a stored flow reference: ${ref}`);
  const row = (await db('flow_versions').where({ tenant_id: r.tenantId, flow_id: r.flowId, version: r.version }).first('yaml')) as { yaml: string } | undefined;
  if (!row) throw new Error(`stored flow ${r.flowId}@${r.version} of tenant ${r.tenantId} does not exist`);
  const dir = await mkdtemp(join(tmpdir(), 'hermes-stored-flow-'));
  try {
    await linkSubflowFolders(dir, subflowRoot);
    const file = join(dir, `${r.flowId}.yaml`);
    await writeFile(file, row.yaml, 'utf8');
    return await loadFlow(file);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
