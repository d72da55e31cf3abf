// Checks uploaded flow YAML before it is stored: every problem comes back as file:line:col so the editor can jump to it.
// A flow that is stored here is one the engine can load (the flow loader's own checks run on it); the id and version
// come from the YAML itself.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { FlowLoadError, loadFlow } from '../flows/index.js';
import { FLOW_ID_PATTERN } from './flow-names.js';
import { linkSubflowFolders } from './stored-flows.js';

export interface FlowProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export type FlowCheck =
  | { ok: true; flowId: string; version: string }
  | { ok: false; problems: FlowProblem[] };

const ID = new RegExp(FLOW_ID_PATTERN);

/** Parse-level and identity checks on YAML text named `file` (the name shown in errors). */
export function checkFlowYaml(text: string, file: string): FlowCheck {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined, message: string): FlowProblem => {
    const p = lines.linePos(offset ?? 0);
    return { file, line: p.line, col: p.col, message };
  };
  if (doc.errors.length) return { ok: false, problems: doc.errors.map((e) => at(e.pos[0], `not valid YAML: ${e.message.split('\n')[0]}`)) };
  if (!isMap(doc.contents)) return { ok: false, problems: [at(doc.contents?.range?.[0], 'a flow is a mapping with id, version, start and steps')] };
  const problems: FlowProblem[] = [];
  const field = (key: string) => {
    const pair = doc.contents && isMap(doc.contents) ? doc.contents.items.find((i) => (i.key as { value?: unknown } | null)?.value === key) : undefined;
    return { value: doc.get(key), offset: (pair?.value as { range?: number[] } | null)?.range?.[0] ?? (pair?.key as { range?: number[] } | null)?.range?.[0] };
  };
  const id = field('id');
  const version = field('version');
  if (typeof id.value !== 'string' || !ID.test(id.value)) problems.push(at(id.offset, 'id: expected a name like "intake" (letters, digits, _ . -)'));
  if (typeof version.value !== 'string' && typeof version.value !== 'number') problems.push(at(version.offset, 'version: expected a version like "3" or "2026-11-26"'));
  else if (String(version.value).length > 100) problems.push(at(version.offset, 'version: at most 100 characters'));
  for (const key of ['start', 'steps']) if (doc.get(key) === undefined) problems.push(at(0, `${key}: required`));
  // Subflows resolve next to the uploaded file; a path out of that folder could probe the server's files.
  const steps = doc.get('steps');
  if (isMap(steps)) {
    for (const item of steps.items) {
      const step = item.value;
      if (!isMap(step)) continue;
      const sub = step.get('subflow', true) as { value?: unknown; range?: number[] } | undefined;
      const v = sub?.value;
      if (typeof v === 'string' && (isAbsolute(v) || v.split(/[\\/]/).includes('..'))) {
        problems.push(at(sub?.range?.[0], `subflow "${v}" must be a path inside the flows folder (no "/" at the start, no "..")`));
      }
    }
  }
  if (problems.length) return { ok: false, problems };
  return { ok: true, flowId: String(id.value), version: String(version.value) };
}

/**
 * Full check: the quick one above, then the flow loader itself on a temporary copy. Subflows resolve against
 * `subflowRoot` (the folder of the bundled flows), so an uploaded main flow can call practice/*.yaml.
 */
export async function validateFlowText(text: string, file: string, subflowRoot: string | null): Promise<FlowCheck> {
  const quick = checkFlowYaml(text, file);
  if (!quick.ok) return quick;
  const dir = await mkdtemp(join(tmpdir(), 'hermes-flow-'));
  try {
    await linkSubflowFolders(dir, subflowRoot);
    const path = join(dir, file);
    await writeFile(path, text, 'utf8');
    const flow = await loadFlow(path);
    return { ok: true, flowId: flow.id, version: String(flow.version) };
  } catch (err) {
    if (!(err instanceof FlowLoadError)) throw err;
    const shown = (f: string) => {
      const rel = relative(dir, resolve(f));
      return rel.startsWith('..') || rel.startsWith(sep) ? f : rel;
    };
    return { ok: false, problems: err.issues.map((i) => ({ file: shown(i.file), line: i.line, col: i.col, message: i.message })) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
