// Builds a real app on a throwaway database with two firms and users of every role, and logs them in.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { createTenant, createUser } from '../../src/auth/users.js';
import type { Role } from '../../src/auth/permissions.js';
import { createTestDb, type TestDb, type TestDbKind } from '../helpers/db.js';

export const PASSWORD = 'correct horse battery staple';
export const JWT_SECRET = 'test-secret-that-is-at-least-32-characters-long';

export interface Firm {
  id: number;
  slug: string;
  users: Record<Role, { id: number; email: string }>;
}

export interface ApiWorld {
  tdb: TestDb;
  app: FastifyInstance;
  config: Config;
  metrics: Metrics;
  firmA: Firm;
  firmB: Firm;
  close(): Promise<void>;
}

async function firm(tdb: TestDb, slug: string): Promise<Firm> {
  const t = await createTenant(tdb.db, { slug, name: `${slug} LLP`, timezone: 'America/Chicago' });
  const users = {} as Firm['users'];
  for (const role of ['owner', 'attorney', 'staff', 'viewer'] as const) {
    const u = await createUser(tdb.db, { tenantId: t.id, email: `${role}@${slug}.example`, role, password: PASSWORD });
    users[role] = { id: u.id, email: u.email };
  }
  return { id: t.id, slug, users };
}

export async function apiWorld(kind: TestDbKind, overrides: Partial<Config> = {}): Promise<ApiWorld> {
  const tdb = await createTestDb(kind);
  const config = loadConfig({}, { databaseUrl: tdb.url, jwtSecret: JWT_SECRET, logLevel: 'silent', ...overrides });
  const metrics = createMetrics({ defaultMetrics: false });
  const app = await buildApp({ config, log: silentLogger(), metrics, db: tdb.db });
  await app.ready();
  const firmA = await firm(tdb, 'alpha-law');
  const firmB = await firm(tdb, 'beta-law');
  return { tdb, app, config, metrics, firmA, firmB, async close() { await app.close(); await tdb.destroy(); } };
}

/** A fresh client address, so tests that are not about the login rate limit never run into it. */
const someIp = () => `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${1 + Math.floor(Math.random() * 250)}`;

export async function login(app: FastifyInstance, email: string, password = PASSWORD, ip = someIp()) {
  const res = await app.inject({ method: 'POST', url: '/auth/login', payload: { email, password }, remoteAddress: ip });
  return { status: res.statusCode, body: res.json() as { accessToken: string; refreshToken: string; error?: string } };
}

export async function tokenFor(app: FastifyInstance, email: string): Promise<string> {
  const r = await login(app, email);
  if (r.status !== 200) throw new Error(`login failed for ${email}: ${r.status}`);
  return r.body.accessToken;
}

/** A small flow the real flow loader accepts (a greeting and a goodbye). */
export function validFlow(version: number | string, greeting = 'Thank you for calling. I am an AI assistant and this call may be recorded.'): string {
  return [
    'id: intake',
    `version: ${version}`,
    'firm:',
    '  name: Alpha Law',
    '  timezone: America/Chicago',
    '  business_hours: { days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:00" }',
    'start: hello',
    'steps:',
    '  hello:',
    `    say: { en: "${greeting}" }`,
    '    next: bye',
    '  bye:',
    '    end: message',
    '    say: { en: "Goodbye." }',
    '',
  ].join('\n');
}
