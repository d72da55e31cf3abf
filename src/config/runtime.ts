// Settings of the process itself: database, logs, the default flow and prompt cache, the in-process worker, and the
// timers by which instances keep track of live calls (heartbeat, interrupted sweep, drain).
import { relative } from 'node:path';
import { packagePath } from '../paths.js';
import { bool, type SettingsOf, text } from './setting.js';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
export type LogFormat = 'auto' | 'pretty' | 'json';

export interface RuntimeConfig {
  databaseUrl: string;
  logLevel: LogLevel;
  /** auto: pretty on a terminal, JSON lines otherwise. */
  logFormat: LogFormat;
  /** Flow run for numbers that have no mapping yet. */
  defaultFlow: string;
  /** Directory where synthesized prompts are kept between restarts. */
  promptCacheDir: string;
  /** Apply pending migrations when `serve` starts. */
  autoMigrate: boolean;
  /** Deliver outbox rows from inside the server process. */
  inProcessWorker: boolean;
  /** How often each instance marks its live calls as seen (calls.last_seen_at), ms. */
  callHeartbeatMs: number;
  /** A call in progress whose session has not been seen for this long is ended as interrupted, ms. */
  interruptedAfterMs: number;
  /** How often each instance looks for interrupted calls (also once at start), ms. */
  interruptedSweepMs: number;
  /** SIGTERM: how long live calls may go on before the rest are handed to other instances (resume path), ms. */
  drainGraceMs: number;
}

/**
 * The bundled intake flow, from wherever `hermes` runs: `flows/intake.yaml` in the checkout, a relative path to the
 * installed package elsewhere (a bare `flows/intake.yaml` made `hermes chat` fail with ENOENT outside the checkout).
 */
const BUNDLED_FLOW = relative(process.cwd(), packagePath('flows', 'intake.yaml')) || packagePath('flows', 'intake.yaml');

function databaseUrl(raw: string): string {
  const v = raw.trim();
  if (!/^(sqlite|postgres|postgresql):\/\//.test(v)) {
    throw new Error(`expected sqlite://<path> or postgres://user@host/db, got "${v}"`);
  }
  return v;
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
function logLevel(raw: string): LogLevel {
  const v = raw.trim().toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(v)) throw new Error(`expected one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return v;
}

const LOG_FORMATS: readonly LogFormat[] = ['auto', 'pretty', 'json'];
function logFormat(raw: string): LogFormat {
  const v = raw.trim().toLowerCase() as LogFormat;
  if (!LOG_FORMATS.includes(v)) throw new Error(`expected one of ${LOG_FORMATS.join(', ')}, got "${raw}"`);
  return v;
}

function ms(raw: string): number {
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < 100 || n > 86_400_000) throw new Error(`expected milliseconds (an integer from 100 to 86400000), got "${raw}"`);
  return n;
}

export const RUNTIME_SETTINGS = [
  { env: 'DATABASE_URL', key: 'databaseUrl', doc: 'sqlite://<path> (embedded) or postgres://user@host/db', default: 'sqlite://./data/hermes.sqlite', parse: databaseUrl },
  { env: 'LOG_LEVEL', key: 'logLevel', doc: 'fatal, error, warn, info, debug, trace or silent', default: 'info', parse: logLevel },
  { env: 'LOG_FORMAT', key: 'logFormat', doc: 'auto (pretty on a terminal, JSON lines otherwise), pretty or json', default: 'auto', parse: logFormat },
  { env: 'DEFAULT_FLOW', key: 'defaultFlow', doc: 'Flow file for numbers with no mapping', default: BUNDLED_FLOW, parse: text },
  { env: 'PROMPT_CACHE_DIR', key: 'promptCacheDir', doc: 'Where synthesized fixed prompts are kept on disk', default: './data/prompt-cache', parse: text },
  { env: 'AUTO_MIGRATE', key: 'autoMigrate', doc: 'Apply pending migrations when serve starts', default: true, parse: bool },
  { env: 'IN_PROCESS_WORKER', key: 'inProcessWorker', doc: 'Deliver outbox rows inside the server (false when running `hermes worker`)', default: true, parse: bool },
  { env: 'CALL_HEARTBEAT_MS', key: 'callHeartbeatMs', doc: 'How often each instance marks its live calls as seen (one UPDATE per tick)', default: 15_000, parse: ms },
  { env: 'INTERRUPTED_AFTER_MS', key: 'interruptedAfterMs', doc: 'A call whose session was not seen for this long is ended as interrupted and its intake settled (>= 2 heartbeats)', default: 60_000, parse: ms },
  { env: 'INTERRUPTED_SWEEP_MS', key: 'interruptedSweepMs', doc: 'How often each instance settles interrupted calls (also once at start)', default: 15_000, parse: ms },
  { env: 'DRAIN_GRACE_MS', key: 'drainGraceMs', doc: 'On SIGTERM, live calls get this long to finish before the rest are handed to another instance (resumed there)', default: 20_000, parse: ms },
] as const satisfies SettingsOf<RuntimeConfig>;
