import { spawnSync } from 'node:child_process';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { createEffectRunner } from '../../src/integrations/effect-runner.js';
import { clioConflictCheck } from '../../src/integrations/clio/conflict.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { countByStatus } from '../../src/integrations/outbox/store.js';
import { silentLogger } from '../../src/observability/logger.js';
import { clioWorld, type ClioWorld } from './clio-world.js';
import { drain, seedCall, seedTurns } from './helpers.js';

const SLOTS = { caller_name: 'Ann Marie Lee', callback_phone: '(312) 555-0142', email: 'ann@example.com', practice_area: 'personal_injury', incident_date: '2025-12-24', opposing_party: 'Acme Trucking' };

/** A finished call whose flow asked for clio.create_intake: the intake and the outbox row, as the call path leaves them. */
async function finishedCall(w: ClioWorld, slots: Record<string, unknown> = SLOTS): Promise<{ callSid: string; outboxId: number }> {
  const callSid = await seedCall(w.t.db, w.tenantId);
  await seedTurns(w.t.db, callSid, [['agent', 'Thanks for calling. What is your name?'], ['caller', 'Ann Marie Lee'], ['agent', 'Thank you, goodbye.']]);
  const store = createIntakeStore(w.t.db, { now: () => w.clock.now() });
  for (const [k, v] of Object.entries(slots)) await store.slot(callSid, k, v, true);
  const runner = createEffectRunner({ db: w.t.db, log: silentLogger(), now: () => w.clock.now(), conflictCheck: (tid, q, s) => clioConflictCheck(w.access.client(tid), q, s) });
  const out = await runner.run({ type: 'effect', id: 'e7', action: 'clio.create_intake', args: {} }, { callSid, tenantId: w.tenantId, slots });
  expect(out).toMatchObject({ ok: true, data: { queued: true } });
  await store.end(callSid, 'completed', slots);
  return { callSid, outboxId: Number((out.data as { outbox_id: number }).outbox_id) };
}

const posts = (w: ClioWorld, path: string) => w.clio.requests.filter((r) => r.method === 'POST' && r.path === path).length;

describeEachDb('Clio intake delivery on %s', (kind) => {
  let w: ClioWorld;
  beforeEach(async () => {
    w = await clioWorld(kind);
  });
  afterEach(async () => w?.close());

  it('creates one contact, one pending matter with its practice area, one note with the transcript and one call log', async () => {
    const { callSid } = await finishedCall(w);
    await drain(w.t.db, w.worker, w.clock);
    expect(w.clio.contacts).toHaveLength(1);
    expect(w.clio.contacts[0]).toMatchObject({
      type: 'Person', first_name: 'Ann', middle_name: 'Marie', last_name: 'Lee',
      phone_numbers: [{ name: 'Mobile', number: '+13125550142', default_number: true }],
      email_addresses: [{ name: 'Other', address: 'ann@example.com', default_email: true }],
    });
    const area = w.clio.practiceAreas.find((a) => a.name === 'Personal Injury')!;
    expect(w.clio.matters).toHaveLength(1);
    expect(w.clio.matters[0]).toMatchObject({ status: 'pending', client: { id: w.clio.contacts[0]!.id }, practice_area: { id: area.id } });
    expect(String(w.clio.matters[0]!.description)).toContain(`HERMES ${callSid}`);
    expect(w.clio.notes).toHaveLength(1);
    expect(w.clio.notes[0]).toMatchObject({ type: 'Matter', matter: { id: w.clio.matters[0]!.id }, date: '2026-01-05' });
    expect(String(w.clio.notes[0]!.detail)).toMatch(/Caller: Ann Marie Lee[\s\S]*Transcript:\nHERMES: Thanks for calling\. What is your name\?\nCaller: Ann Marie Lee/);
    expect(w.clio.communications).toHaveLength(1);
    expect(w.clio.communications[0]).toMatchObject({ type: 'PhoneCommunication', matter: { id: w.clio.matters[0]!.id }, senders: [{ id: w.clio.contacts[0]!.id, type: 'Contact' }], received_at: '2026-01-05T15:00:00.000Z' });
    expect(await countByStatus(w.t.db)).toMatchObject({ delivered: 1, pending: 0, dead: 0 });
  });

  it('retries only the matter when the contact was made and the matter failed', async () => {
    let failMatter = true;
    w.clio.failure = (r) => (r.method === 'POST' && r.path === '/api/v4/matters.json' && failMatter ? ((failMatter = false), { status: 500 }) : null);
    const { outboxId } = await finishedCall(w);
    await w.worker.runOnce();
    const row = (await w.t.db('outbox').where({ id: outboxId }).first()) as Record<string, unknown>;
    expect(row.status).toBe('pending');
    expect(JSON.parse(String(row.progress))).toMatchObject({ contactId: w.clio.contacts[0]!.id });
    await drain(w.t.db, w.worker, w.clock);
    expect([posts(w, '/api/v4/contacts.json'), posts(w, '/api/v4/matters.json'), w.clio.contacts.length, w.clio.matters.length]).toEqual([1, 2, 1, 1]);
  });

  it('never makes a second contact or matter when Clio created them but the answer was lost', async () => {
    const lost = new Set(['/api/v4/contacts.json', '/api/v4/matters.json', '/api/v4/notes.json']);
    w.clio.failure = (r) => (r.method === 'POST' && lost.delete(r.path) ? { status: 502, afterCommit: true } : null);
    await finishedCall(w);
    await drain(w.t.db, w.worker, w.clock);
    expect([w.clio.contacts.length, w.clio.matters.length, w.clio.notes.length, w.clio.communications.length]).toEqual([1, 1, 1, 1]);
    expect(await countByStatus(w.t.db)).toMatchObject({ delivered: 1, dead: 0 });
  });

  it('after an hour of Clio failing every request (500s and 429s), delivers exactly one contact and one matter, no dead letters', async () => {
    const recoverAt = w.clock.now().getTime() + 3600_000;
    let failed = 0;
    w.clio.failure = () => {
      if (w.clock.now().getTime() >= recoverAt) return null;
      failed++;
      return failed % 3 === 0 ? { status: 429, retryAfterS: 120 } : { status: 503 };
    };
    await finishedCall(w);
    await finishedCall(w, { ...SLOTS, caller_name: 'Bo Diaz', email: 'bo@example.com', callback_phone: '+13125550199' });
    const used = await drain(w.t.db, w.worker, w.clock);
    expect(failed).toBeGreaterThan(10);
    expect(used).toBeGreaterThanOrEqual(3600_000);
    expect(w.clio.contacts.map((c) => c.name).sort()).toEqual(['Ann Marie Lee', 'Bo Diaz']);
    expect(w.clio.matters).toHaveLength(2);
    expect(w.clio.notes).toHaveLength(2);
    expect(w.clio.communications).toHaveLength(2);
    expect(await countByStatus(w.t.db)).toMatchObject({ delivered: 2, dead: 0, pending: 0 });
  });

  it('with failures past the limit leaves a dead letter that `hermes outbox retry` delivers', async () => {
    w.clio.failure = () => ({ status: 500 });
    const { outboxId } = await finishedCall(w);
    await drain(w.t.db, w.worker, w.clock, 48 * 3600_000);
    const dead = (await w.t.db('outbox').where({ id: outboxId }).first()) as Record<string, unknown>;
    expect(dead.status).toBe('dead');
    expect(String(dead.last_error)).toMatch(/clio: server error 500.*gave up after 12 attempts/);
    w.clio.failure = () => null;
    const cli = spawnSync(process.execPath, ['bin/hermes.js', 'outbox', 'retry', String(outboxId)], { env: { ...process.env, DATABASE_URL: w.t.url, LOG_LEVEL: 'silent' }, encoding: 'utf8' });
    expect(cli.stderr).toBe('');
    expect(cli.stdout).toContain(`row ${outboxId} (clio.create_intake) queued for delivery`);
    expect(cli.status).toBe(0);
    // The CLI schedules the row at the wall clock's now; the simulation catches up with it.
    w.clock.set(new Date(Date.now() + 1_000));
    await drain(w.t.db, w.worker, w.clock);
    expect(await countByStatus(w.t.db)).toMatchObject({ delivered: 1, dead: 0 });
    expect([w.clio.contacts.length, w.clio.matters.length]).toEqual([1, 1]);
  });

  it('on a 401 refreshes the token once, repeats the request, and stores the new token encrypted', async () => {
    await finishedCall(w);
    w.clio.expireAllTokens();
    await drain(w.t.db, w.worker, w.clock);
    expect(w.clio.requests.filter((r) => r.path === '/oauth/token')).toHaveLength(1);
    expect(w.clio.contacts).toHaveLength(1);
    const row = (await w.t.db('integration_credentials').where({ tenant_id: w.tenantId, provider: 'clio' }).first()) as Record<string, unknown>;
    const stored = await w.creds.get<{ accessToken: string }>(w.tenantId, 'clio');
    expect(w.clio.tokens.get(stored!.secret.accessToken)!.expiresAt).toBeGreaterThan(w.clock.now().getTime());
    expect(String(row.secret_enc)).not.toContain(stored!.secret.accessToken);
  });

  it('sends a validation error (422) to the dead letters with Clio\'s message', async () => {
    const { outboxId } = await finishedCall(w);
    // The practice area is looked up, then deleted in Clio before the matter arrives: Clio answers 422.
    w.clio.failure = (r) => {
      if (r.method === 'POST' && r.path === '/api/v4/matters.json') w.clio.practiceAreas.length = 0;
      return null;
    };
    await drain(w.t.db, w.worker, w.clock);
    const row = (await w.t.db('outbox').where({ id: outboxId }).first()) as Record<string, unknown>;
    expect(row.status).toBe('dead');
    expect(row.last_error).toBe('clio: rejected with 422: practice_area.id is invalid (not retryable)');
    expect(Number(row.attempts)).toBe(1);
  });

  it('gives up on a hanging request after its timeout and delivers on the retry', async () => {
    await w.close();
    w = await clioWorld(kind, { requestTimeoutMs: 300 });
    let hung = false;
    w.clio.failure = (r) => (!hung && r.method === 'POST' ? ((hung = true), { hang: true }) : null);
    const { outboxId } = await finishedCall(w);
    await w.worker.runOnce();
    expect(((await w.t.db('outbox').where({ id: outboxId }).first()) as Record<string, unknown>).last_error).toBe('clio: request timed out');
    await drain(w.t.db, w.worker, w.clock);
    expect(await countByStatus(w.t.db)).toMatchObject({ delivered: 1 });
  });

  it('delivers to the Clio Grow lead inbox when the firm chose Grow', async () => {
    await w.creds.put(w.tenantId, 'clio_grow', { inboxLeadToken: w.clio.growToken }, { meta: { baseUrl: w.clio.url } });
    await w.t.db('integration_credentials').where({ tenant_id: w.tenantId, provider: 'clio' }).update({ meta: JSON.stringify({ target: 'grow' }) });
    await finishedCall(w);
    await drain(w.t.db, w.worker, w.clock);
    expect(w.clio.contacts).toHaveLength(0);
    expect(w.clio.growLeads).toHaveLength(1);
    expect(w.clio.growLeads[0]).toMatchObject({ from_first: 'Ann Marie', from_last: 'Lee', from_email: 'ann@example.com', from_phone: '+13125550142' });
    expect(String(w.clio.growLeads[0]!.from_message)).toContain('Transcript:');
  });
});
