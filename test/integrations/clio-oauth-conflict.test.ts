import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { apiWorld, tokenFor, type ApiWorld } from '../api/helpers.js';
import { ClioFake } from '../fakes/clio-server.js';
import { decryptSecret, encryptSecret, parseKey, SecretBoxError } from '../../src/integrations/crypto.js';
import { createCredentialStore } from '../../src/integrations/credentials.js';
import { CLIO_CALLBACK_PATH } from '../../src/integrations/clio/oauth.js';
import { classify, type ConflictMatch } from '../../src/integrations/clio/conflict.js';
import { nameSimilarity, splitName } from '../../src/integrations/clio/names.js';
import { createEffectRunner } from '../../src/integrations/index.js';
import { silentLogger } from '../../src/observability/logger.js';
import { clioWorld, type ClioWorld } from './clio-world.js';
import { ENCRYPTION_KEY, seedCall } from './helpers.js';

describe('secrets at rest (AES-256-GCM)', () => {
  const key = parseKey(ENCRYPTION_KEY);
  it('round-trips, and refuses a tampered box, another row\'s box, or another key', () => {
    const box = encryptSecret(key, '{"accessToken":"at-1"}', 'hermes:1:clio');
    expect(box).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(box).not.toContain('at-1');
    expect(decryptSecret(key, box, 'hermes:1:clio')).toBe('{"accessToken":"at-1"}');
    expect(encryptSecret(key, 'same', 'x')).not.toBe(encryptSecret(key, 'same', 'x'));
    const parts = box.split('.');
    const flipped = [...parts.slice(0, 3), Buffer.from(Buffer.from(parts[3]!, 'base64url').map((b, i) => (i === 0 ? b ^ 1 : b))).toString('base64url')].join('.');
    expect(() => decryptSecret(key, flipped, 'hermes:1:clio')).toThrow(SecretBoxError);
    expect(() => decryptSecret(key, box, 'hermes:2:clio')).toThrow(/wrong ENCRYPTION_KEY or tampered/);
    expect(() => decryptSecret(randomBytes(32), box, 'hermes:1:clio')).toThrow(SecretBoxError);
    expect(() => parseKey('too-short')).toThrow(/32 bytes/);
  });
});

describe('fuzzy names', () => {
  it('splits spoken names and scores near-spellings high, strangers low', () => {
    expect(splitName('Ann Marie Lee')).toEqual({ first: 'Ann Marie', last: 'Lee' });
    expect(splitName('Lee, Ann')).toEqual({ first: 'Ann', last: 'Lee' });
    expect(splitName('Maria de la Cruz')).toEqual({ first: 'Maria', last: 'de la Cruz' });
    expect(splitName('Robert Smith Jr.')).toEqual({ first: 'Robert', last: 'Smith Jr.' });
    expect(splitName('Cher')).toEqual({ first: '', last: 'Cher' });
    expect(nameSimilarity('John Smith', 'Smith, John')).toBeGreaterThan(0.99);
    expect(nameSimilarity('Jon Smyth', 'John Smith')).toBeGreaterThan(0.85);
    expect(nameSimilarity('José Álvarez', 'Jose Alvarez')).toBeGreaterThan(0.99);
    expect(nameSimilarity('Acme Trucking Inc.', 'ACME Trucking')).toBeGreaterThan(0.99);
    expect(nameSimilarity('John Smith', 'Mary Jones')).toBeLessThan(0.7);
  });

  it('classifies: an opposing party who is a firm contact is a conflict, a known caller is possible', () => {
    const m = (matched: ConflictMatch['matched'], score: number): ConflictMatch => ({ kind: 'contact', id: 1, name: 'X', matched, score });
    expect(classify([]).status).toBe('clear');
    expect(classify([m('opposing', 0.97)]).status).toBe('conflict');
    expect(classify([m('opposing', 0.88)]).status).toBe('possible');
    expect(classify([m('caller', 1)]).status).toBe('possible');
    expect(classify([m('phone', 1), m('opposing', 0.99)]).status).toBe('conflict');
  });
});

describeEachDb('Clio conflict check on %s', (kind) => {
  let w: ClioWorld;
  beforeAll(async () => {
    w = await clioWorld(kind);
    w.clio.contacts.push({ id: 1, etag: '"1"', type: 'Person', name: 'John Smith', first_name: 'John', last_name: 'Smith', primary_email_address: 'js@example.com', primary_phone_number: '+13125550111' });
    w.clio.contacts.push({ id: 2, etag: '"2"', type: 'Person', name: 'Ann Lee', first_name: 'Ann', last_name: 'Lee', primary_email_address: null, primary_phone_number: '+13125550142' });
  });
  afterAll(async () => w?.close());

  const runner = (deadlineMs = 2_500) => createEffectRunner({ db: w.t.db, config: w.config, log: silentLogger(), clio: w.access, conflictDeadlineMs: deadlineMs });
  const check = async (args: Record<string, unknown>, deadlineMs?: number) => {
    const callSid = await seedCall(w.t.db, w.tenantId);
    return runner(deadlineMs).run({ type: 'effect', id: 'e1', action: 'clio.conflict_check', args }, { callSid, tenantId: w.tenantId, slots: {} });
  };

  it('answers clear when nobody matches', async () => {
    expect(await check({ caller_name: 'Zed Quinn', opposing_party: 'Mega Corp' })).toMatchObject({ ok: true, data: { status: 'clear', clear: true, match_count: 0 } });
  });

  it('answers conflict when the opposing party is (a near-spelling of) a firm contact', async () => {
    const r = await check({ caller_name: 'Zed Quinn', opposing_party: 'Jon Smith' });
    expect(r).toMatchObject({ ok: true, data: { status: 'conflict', conflict: true } });
    expect((r.data!.matches as ConflictMatch[])[0]).toMatchObject({ kind: 'contact', id: 1, matched: 'opposing' });
  });

  it('answers possible when the caller is already known (by name or phone)', async () => {
    expect(await check({ caller_name: 'Ann Lee', opposing_party: 'Mega Corp' })).toMatchObject({ ok: true, data: { status: 'possible', matched_names: 'Ann Lee' } });
    expect(await check({ caller_name: 'Zed Quinn', phone: '+1 (312) 555-0142' })).toMatchObject({ ok: true, data: { status: 'possible' } });
  });

  it('answers ok:false within the deadline when Clio is slow, so the flow routes to staff', async () => {
    w.clio.failure = () => ({ hang: true });
    const started = Date.now();
    const r = await check({ caller_name: 'Zed Quinn' }, 300);
    w.clio.failure = () => null;
    expect(r).toEqual({ ok: false, error: 'conflict check took longer than 300 ms' });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('answers ok:false when the firm has not connected Clio', async () => {
    await w.t.db('integration_credentials').where({ tenant_id: w.tenantId }).delete();
    const r = await check({ caller_name: 'Zed Quinn' });
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(/Clio is not connected for this firm/);
  });
});

describeEachDb('Clio OAuth connect on %s', (kind) => {
  let world: ApiWorld;
  let clio: ClioFake;
  let token: string;
  beforeAll(async () => {
    clio = new ClioFake();
    await clio.start();
    world = await apiWorld(kind, { clioBaseUrl: clio.url, clioClientId: clio.clientId, clioClientSecret: clio.clientSecret, publicUrl: 'https://hermes.example.com', encryptionKey: ENCRYPTION_KEY });
    token = await tokenFor(world.app, world.firmA.users.owner.email);
  });
  afterAll(async () => {
    await world?.close();
    await clio?.stop();
  });

  const connect = async () => {
    const res = await world.app.inject({ method: 'POST', url: '/api/integrations/clio/connect', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    const { url, state } = res.json() as { url: string; state: string };
    const consent = new URL(url);
    expect(consent.origin + consent.pathname).toBe(`${clio.url}/oauth/authorize`);
    expect(consent.searchParams.get('redirect_uri')).toBe(`https://hermes.example.com${CLIO_CALLBACK_PATH}`);
    return { state, code: clio.issueCode(consent.searchParams.get('redirect_uri')!) };
  };
  const callback = (q: Record<string, string>) => world.app.inject({ method: 'GET', url: `${CLIO_CALLBACK_PATH}?${new URLSearchParams(q)}` });
  const stored = () => world.tdb.db('integration_credentials').where({ tenant_id: world.firmA.id, provider: 'clio' }).first();

  it('refuses a callback whose state was never issued (CSRF), storing nothing', async () => {
    const { code } = await connect();
    const res = await callback({ code, state: 'forged-state' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('unknown or already used state');
    expect(await stored()).toBeUndefined();
  });

  it('refuses an expired state', async () => {
    const { state, code } = await connect();
    await world.tdb.db('oauth_states').where({ state }).update({ expires_at: new Date(Date.now() - 1000) });
    const res = await callback({ code, state });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('expired');
    expect(await stored()).toBeUndefined();
  });

  it('exchanges the code for the firm that started, stores the tokens encrypted, and the state works only once', async () => {
    const { state, code } = await connect();
    const res = await callback({ code, state });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Clio connected');
    const row = (await stored()) as Record<string, unknown>;
    const creds = await createCredentialStore(world.tdb.db, ENCRYPTION_KEY).get<{ accessToken: string; refreshToken: string }>(world.firmA.id, 'clio');
    expect(clio.tokens.has(creds!.secret.accessToken)).toBe(true);
    expect(String(row.secret_enc)).not.toContain(creds!.secret.accessToken);
    expect(String(row.secret_enc)).not.toContain(creds!.secret.refreshToken);
    const again = await callback({ code, state });
    expect(again.statusCode).toBe(400);
    const audit = await world.tdb.db('audit_log').where({ tenant_id: world.firmA.id, action: 'integration.connected' });
    expect(audit).toHaveLength(1);
  });

  it('reports a refused consent without storing anything for the firm', async () => {
    await world.tdb.db('integration_credentials').delete();
    const { state } = await connect();
    const res = await callback({ state, error: 'access_denied' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('access_denied');
    expect(await stored()).toBeUndefined();
  });
});
