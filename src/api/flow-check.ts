// Checks uploaded flow YAML before it is stored: every problem comes back as file:line:col so the editor can jump to it.
// A flow that is stored here is one the engine can load; the id and version come from the YAML itself.
import { isMap, LineCounter, parseDocument } from 'yaml';

export interface FlowProblem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export type FlowCheck =
  | { ok: true; flowId: string; version: string }
  | { ok: false; problems: FlowProblem[] };

const ID = /^[A-Za-z][A-Za-z0-9_.-]{0,199}$/;

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
  if (problems.length) return { ok: false, problems };
  return { ok: true, flowId: String(id.value), version: String(version.value) };
}
