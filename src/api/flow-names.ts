// The names a client may give a flow through the admin API. An uploaded file name becomes a file in a temporary
// folder next to links to the bundled subflow folders (practice/...), so a name must never be able to point
// anywhere else: no path separators, no dots-only names, no control characters, and not the name of one of those
// folders. Flow ids in URLs follow the id rule of the YAML itself. Pure: the only I/O is listing the bundled folders.
import { readdir } from 'node:fs/promises';
import { resolve } from 'node:path';

export const MAX_FLOW_FILE_NAME = 100;

/** Letters, digits, "-" and "_" (starting with a letter or digit), then at most one .yaml or .yml extension. */
export const FLOW_FILE_NAME_PATTERN = `^[A-Za-z0-9][A-Za-z0-9_-]{0,${MAX_FLOW_FILE_NAME - 6}}(\\.ya?ml)?$`;
export const FLOW_FILE_NAME_RULE = 'must be letters, digits, "-" and "_" with an optional .yaml or .yml extension '
  + '(no dots-only names, path separators or control characters)';

/** A flow id as the YAML declares it (the same rule src/api/flow-check.ts applies to `id:`). */
export const FLOW_ID_PATTERN = '^[A-Za-z][A-Za-z0-9_.-]{0,199}$';
export const FLOW_ID_RULE = 'must be a flow id: a letter, then letters, digits, "_", "." or "-"';

const FILE_NAME = new RegExp(FLOW_FILE_NAME_PATTERN);

/** The file name without its .yaml/.yml extension, lower-cased (folder names clash case-insensitively on macOS). */
const stem = (name: string) => name.replace(/\.ya?ml$/i, '').toLowerCase();

/** Names of the folders beside the bundled flows (practice, tests...), which an upload is linked next to. */
export async function bundledFolders(subflowRoot: string | null): Promise<string[]> {
  if (!subflowRoot) return [];
  const entries = await readdir(resolve(subflowRoot), { withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isDirectory()).map((e) => e.name);
}

/** What is wrong with an uploaded flow's file name, or null when it is safe to use. */
export function flowFileNameProblem(name: string, folders: readonly string[]): string | null {
  if (!FILE_NAME.test(name)) return FLOW_FILE_NAME_RULE;
  const clash = folders.find((f) => f.toLowerCase() === stem(name));
  return clash ? `"${name}" is the name of a bundled flow folder (${clash}); choose another name` : null;
}
