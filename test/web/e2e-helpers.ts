// Pieces of the browser tests that are not the story: building the app when its sources are newer than web/dist,
// the axe scan, a call record with a barge-in and a repeated prompt, and a real WAV file for the recording player.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Db } from '../../src/db/knex.js';
import { appDistDir } from '../../src/web/plugin.js';

const WEB = new URL('../../web/', import.meta.url).pathname;

function newest(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds web/dist when it is missing or older than web/src (a stale build would test yesterday's app). */
export async function ensureAppBuilt(): Promise<void> {
  const dist = appDistDir();
  if (dist && existsSync(join(dist, 'index.html')) && statSync(join(dist, 'index.html')).mtimeMs >= newest(join(WEB, 'src'))) return;
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
}

/** Serious and critical axe-core violations on the page as it stands. */
export async function axeSerious(page: Page): Promise<string[]> {
  const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await page.evaluate(source);
  const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[] }> } }).axe.run());
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** `seconds` of a 440 Hz tone as a 16-bit mono 8 kHz WAV: a file the browser's <audio> really decodes. */
export function toneWav(seconds: number): Buffer {
  const rate = 8000;
  const n = Math.round(rate * seconds);
  const b = Buffer.alloc(44 + n * 2);
  b.write('RIFF', 0); b.writeUInt32LE(36 + n * 2, 4); b.write('WAVE', 8); b.write('fmt ', 12);
  b.writeUInt32LE(16, 16); b.writeUInt16LE(1, 20); b.writeUInt16LE(1, 22); b.writeUInt32LE(rate, 24); b.writeUInt32LE(rate * 2, 28);
  b.writeUInt16LE(2, 32); b.writeUInt16LE(16, 34); b.write('data', 36); b.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) b.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / rate)), 44 + i * 2);
  return b;
}

/**
 * A finished call the way the call path records it: HERMES is cut off mid-question (only "May I have" was heard),
 * asks again (a repeated prompt), the intake has one slot confirmed by read-back and one unsure, and the Clio
 * delivery it caused is dead-lettered. Returns the outbox row's id.
 */
export async function seedFinishedCall(db: Db, tenantId: number, callSid: string, startedAt: Date): Promise<number> {
  await db('calls').insert({
    call_sid: callSid, tenant_id: tenantId, from_number: '+13125550177', to_number: '+13125550100', flow_id: 'intake', flow_version: '5',
    status: 'completed', outcome: 'completed', started_at: startedAt, ended_at: new Date(startedAt.getTime() + 95_000), duration_s: 95,
  });
  const ask = 'May I have your full name, please?';
  const turns: [string, string, string | null, boolean][] = [
    ['agent', 'Thank you for calling Alpha Law. I am an AI assistant and this call may be recorded.', null, false],
    ['agent', ask, 'May I have', true],
    ['caller', 'Sorry, I was rear-ended on the highway yesterday', null, false],
    ['agent', ask, null, false],
    ['caller', 'John Smith', null, false],
    ['agent', 'Thank you, John Smith. I have passed this to the team; expect a call back today.', null, false],
  ];
  for (const [seq, [speaker, text, heard, interrupted]] of turns.entries()) {
    const at = new Date(startedAt.getTime() + seq * 12_000);
    await db('turns').insert({ call_sid: callSid, seq, speaker, text, heard_text: heard ?? (speaker === 'agent' ? text : null), interrupted, started_at: at, ended_at: at });
  }
  const [intake] = await db('intakes').insert({
    call_sid: callSid, tenant_id: tenantId, flow_id: 'intake', status: 'complete',
    slots: JSON.stringify({ caller_name: 'John Smith', practice_area: 'personal_injury', incident_date: '2026-12-03', opposing_party: 'Kevin Walsh; Acme Trucking' }),
    confirmed_slots: JSON.stringify(['caller_name', 'practice_area', 'opposing_party']),
    parties: JSON.stringify({ opposing_party: [{ name: 'Kevin Walsh', relationship: 'other driver', phrase: 'the other driver, kevin walsh, he drives for Acme Trucking' }, { name: 'Acme Trucking', phrase: 'the other driver, kevin walsh, he drives for Acme Trucking' }] }),
    caller_name: 'John Smith', callback_phone: '+13125550177', practice_area: 'personal_injury',
  }).returning('id');
  const intakeId = Number(typeof intake === 'object' ? intake.id : intake);
  const [row] = await db('outbox').insert({
    tenant_id: tenantId, action: 'clio.create_intake', args: '{}', idempotency_key: `e2e-${callSid}`, status: 'dead', attempts: 12,
    last_error: 'Clio answered 500', next_attempt_at: new Date(Date.now() + 3600_000), call_sid: callSid, intake_id: intakeId,
  }).returning('id');
  return Number(typeof row === 'object' ? row.id : row);
}
