// Login, refresh and logout over HTTP against a real database, on SQLite and PostgreSQL.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { apiWorld, login, type ApiWorld } from '../api/helpers.js';

describeEachDb('sessions on %s', (kind) => {
  let w: ApiWorld;
  beforeAll(async () => { w = await apiWorld(kind); });
  afterAll(async () => { await w?.close(); });

  const refresh = (refreshToken: string) => w.app.inject({ method: 'POST', url: '/auth/refresh', payload: { refreshToken } });
  const calls = (token: string) => w.app.inject({ url: '/api/calls', headers: { authorization: `Bearer ${token}` } });

  it('logs in with the right password, and the access token opens the API', async () => {
    const r = await login(w.app, w.firmA.users.staff.email);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 900, user: { role: 'staff', tenant: { slug: 'alpha-law' } } });
    expect((await calls(r.body.accessToken)).statusCode).toBe(200);
    const audit = await w.tdb.db('audit_log').where({ action: 'auth.login', user_id: w.firmA.users.staff.id });
    expect(audit.length).toBeGreaterThanOrEqual(1);
  });

  it('logs in case-insensitively by e-mail and refuses a wrong password or unknown user with the same answer', async () => {
    expect((await login(w.app, w.firmA.users.viewer.email.toUpperCase())).status).toBe(200);
    const wrong = await login(w.app, w.firmA.users.viewer.email, 'not the password at all');
    const unknown = await login(w.app, 'nobody@nowhere.example');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body).toEqual(unknown.body);
  });

  it('refuses a disabled user', async () => {
    await w.tdb.db('users').where({ id: w.firmB.users.viewer.id }).update({ disabled: true });
    expect((await login(w.app, w.firmB.users.viewer.email)).status).toBe(401);
  });

  it('rotates the refresh token: each one works once and returns a new pair', async () => {
    const first = (await login(w.app, w.firmA.users.attorney.email)).body;
    const r1 = await refresh(first.refreshToken);
    expect(r1.statusCode).toBe(200);
    const second = r1.json();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect((await calls(second.accessToken)).statusCode).toBe(200);
    const r2 = await refresh(second.refreshToken);
    expect(r2.statusCode).toBe(200);
    // Only hashes are stored.
    const stored = await w.tdb.db('refresh_tokens').select('token_hash');
    expect(stored.map((s) => s.token_hash)).not.toContain(first.refreshToken);
  });

  it('revokes the whole family when an already-used refresh token comes back', async () => {
    const first = (await login(w.app, w.firmA.users.owner.email)).body;
    const second = (await refresh(first.refreshToken)).json();
    // The thief replays the first token: refused, and the family is burned...
    const replay = await refresh(first.refreshToken);
    expect(replay.statusCode).toBe(401);
    expect(replay.json().message).toMatch(/reused/);
    // ...so the legitimate holder's newer token stops working too.
    const victim = await refresh(second.refreshToken);
    expect(victim.statusCode).toBe(401);
    expect(victim.json().message).toMatch(/revoked/);
    // A fresh login still works.
    expect((await login(w.app, w.firmA.users.owner.email)).status).toBe(200);
    // Operators see the replay on the dashboard.
    const text = await w.metrics.registry.metrics();
    expect(text).toMatch(/hermes_auth_events_total\{action="refresh",result="reused"\} 1\b/);
    expect(text).toMatch(/hermes_auth_events_total\{action="login",result="success"\} \d+/);
  });

  it('lets only one of two simultaneous refreshes with the same token through, and burns the family', async () => {
    const t = (await login(w.app, w.firmB.users.owner.email)).body;
    const [x, y] = await Promise.all([refresh(t.refreshToken), refresh(t.refreshToken)]);
    expect([x.statusCode, y.statusCode].sort()).toEqual([200, 401]);
    const winner = (x.statusCode === 200 ? x : y).json();
    expect((await refresh(winner.refreshToken)).statusCode).toBe(401);
  });

  it('logout revokes the refresh token and its successors', async () => {
    const first = (await login(w.app, w.firmB.users.staff.email)).body;
    const second = (await refresh(first.refreshToken)).json();
    const out = await w.app.inject({ method: 'POST', url: '/auth/logout', payload: { refreshToken: second.refreshToken } });
    expect(out.statusCode).toBe(204);
    expect((await refresh(second.refreshToken)).statusCode).toBe(401);
    // Logging out twice, or with an unknown token, is harmless.
    expect((await w.app.inject({ method: 'POST', url: '/auth/logout', payload: { refreshToken: 'x'.repeat(43) } })).statusCode).toBe(204);
  });

  it('refuses an expired refresh token', async () => {
    const t = (await login(w.app, w.firmB.users.attorney.email)).body;
    await w.tdb.db('refresh_tokens').whereNull('used_at').whereNull('revoked_at').update({ expires_at: new Date(Date.now() - 1000) });
    const r = await refresh(t.refreshToken);
    expect(r.statusCode).toBe(401);
    expect(r.json().message).toMatch(/expired/);
  });

  it('refuses requests without a token, with a malformed header, or with a token from another key', async () => {
    expect((await w.app.inject({ url: '/api/calls' })).statusCode).toBe(401);
    const basic = await w.app.inject({ url: '/api/calls', headers: { authorization: 'Basic b3duZXI6cGFzcw==' } });
    expect(basic.statusCode).toBe(401);
    expect(basic.headers['www-authenticate']).toMatch(/^Bearer/);
    const { AccessTokens } = await import('../../src/auth/tokens.js');
    const foreign = await new AccessTokens({ secret: 'a-completely-different-secret-of-32-chars', issuer: 'hermes', audience: 'hermes-admin' })
      .sign({ userId: w.firmA.users.owner.id, tenantId: w.firmA.id, role: 'owner' });
    expect((await calls(foreign)).statusCode).toBe(401);
  });
});
