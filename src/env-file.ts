// `.env` support for every `hermes` command: KEY=value lines from a file in the working directory (the one
// `hermes init` writes) are added to the environment before the configuration is read. A variable already set in the
// real environment wins, so an operator's or CI's value is never silently replaced by a stale file. Node's own parser
// (process.loadEnvFile, Node 20.12+) reads the file: quoting and comments behave as with `node --env-file`.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The file read: ./.env, or the path in HERMES_ENV_FILE (set it to an empty string to read none). */
export function envFilePath(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | null {
  const named = env.HERMES_ENV_FILE;
  if (named === '') return null;
  return resolve(cwd, named ?? '.env');
}

/** Loads the env file if there is one; returns its path, or null when none was read. */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): string | null {
  const path = envFilePath(env, cwd);
  if (path === null) return null;
  if (!existsSync(path)) {
    // A file named explicitly must exist; the default one is optional.
    if (env.HERMES_ENV_FILE !== undefined) throw new Error(`HERMES_ENV_FILE: no file at ${path}`);
    return null;
  }
  if (typeof process.loadEnvFile !== 'function') {
    throw new Error(`${path} exists but this Node (${process.version}) cannot read .env files: use Node 20.12 or later, or export the variables`);
  }
  process.loadEnvFile(path);
  return path;
}
