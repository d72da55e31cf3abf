// Shared set-up for records-and-delivery tests: a firm and call rows (the call path writes those in production),
// a config pointing at the local fakes, and a loop that drives a worker through simulated time.
import type { Db } from '../../src/db/knex.js';
import { loadConfig, type Config } from '../../src/config.js';
import type { ManualClock } from '../../src/integrations/clock.js';
import { nextDueAt, countByStatus } from '../../src/integrations/outbox/store.js';
import type { OutboxWorker } from '../../src/integrations/outbox/worker.js';

export const ENCRYPTION_KEY = 'a'.repeat(64);

let seq = 0;
export async function seedTenant(db: Db, slug = `firm-${++seq}-${Math.random().toString(36).slice(2, 7)}`): Promise<number> {
  const [row] = (await db('tenants').insert({ name: `${slug} LLP`, slug, timezone: 'America/New_York' }).returning('id')) as ({ id: number } | number)[];
  return Number(typeof row === 'object' ? row!.id : row);
}

export async function seedCall(db: Db, tenantId: number | null, callSid = `CA${Math.random().toString(16).slice(2).padEnd(32, '0')}`, startedAt = new Date('2026-01-05T15:00:00Z')): Promise<string> {
  await db('calls').insert({ call_sid: callSid, tenant_id: tenantId, from_number: '+13125550142', to_number: '+13125550100', flow_id: 'intake', flow_version: '1', status: 'in-progress', started_at: startedAt });
  return callSid;
}

export async function seedTurns(db: Db, callSid: string, lines: [speaker: 'caller' | 'agent', text: string][]): Promise<void> {
  let i = 0;
  for (const [speaker, text] of lines) {
    const at = new Date(Date.UTC(2026, 0, 5, 15, 0, i * 5));
    await db('turns').insert({ call_sid: callSid, seq: ++i, speaker, text, heard_text: text, interrupted: false, started_at: at, ended_at: at });
  }
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return loadConfig({}, { encryptionKey: ENCRYPTION_KEY, publicUrl: 'https://hermes.example.com', clioClientId: 'clio-client', clioClientSecret: 'clio-secret', logLevel: 'silent', ...overrides });
}

/**
 * Runs worker rounds, jumping the clock to the next due row whenever nothing is due, until nothing is pending or
 * `limitMs` of simulated time has passed. Returns the simulated time used.
 */
export async function drain(db: Db, worker: OutboxWorker, clock: ManualClock, limitMs = 24 * 3600_000): Promise<number> {
  const start = clock.now().getTime();
  for (let rounds = 0; rounds < 10_000; rounds++) {
    const r = await worker.runOnce();
    if (r.claimed > 0) continue;
    const c = await countByStatus(db);
    if (c.pending === 0 && c.in_flight === 0) break;
    const due = await nextDueAt(db);
    if (!due || due.getTime() - start > limitMs) break;
    clock.set(new Date(Math.max(due.getTime(), clock.now().getTime() + 1)));
  }
  return clock.now().getTime() - start;
}
