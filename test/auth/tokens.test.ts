// Access tokens are refused unless they are HS256, signed with our key, unexpired, for our issuer and audience,
// and carry well-formed claims. Each attack below is a token a real attacker could present.
import { describe, expect, it } from 'vitest';
import { generateKeyPair, SignJWT } from 'jose';
import { AccessTokens, TokenError } from '../../src/auth/tokens.js';

const SECRET = 'unit-test-secret-that-is-at-least-32-characters';
const settings = { secret: SECRET, issuer: 'hermes', audience: 'hermes-admin' };
const tokens = new AccessTokens(settings);
const alice = { userId: 7, tenantId: 3, role: 'staff' as const };

const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

async function reason(token: string): Promise<string> {
  try {
    await tokens.verify(token);
  } catch (err) {
    expect(err).toBeInstanceOf(TokenError);
    return (err as TokenError).reason;
  }
  throw new Error('token was accepted');
}

describe('access tokens', () => {
  it('round-trips subject, tenant and role', async () => {
    const t = await tokens.sign(alice);
    expect(await tokens.verify(t)).toEqual(alice);
    const [header, payload] = t.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url').toString()));
    expect(header.alg).toBe('HS256');
    expect(payload).toMatchObject({ sub: '7', tenant: 3, role: 'staff', iss: 'hermes', aud: 'hermes-admin' });
    expect(payload.exp - payload.iat).toBe(15 * 60);
  });

  it('refuses a token whose payload was edited to raise the role', async () => {
    const [h, , s] = (await tokens.sign(alice)).split('.');
    const forged = `${h}.${b64({ sub: '7', tenant: 3, role: 'owner', iss: 'hermes', aud: 'hermes-admin', iat: Math.floor(Date.now() / 1000), exp: Math.floor(Date.now() / 1000) + 900 })}.${s}`;
    expect(await reason(forged)).toBe('bad signature');
  });

  it('refuses the none algorithm', async () => {
    const now = Math.floor(Date.now() / 1000);
    const none = `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: '7', tenant: 3, role: 'owner', iss: 'hermes', aud: 'hermes-admin', iat: now, exp: now + 900 })}.`;
    expect(await reason(none)).toMatch(/algorithm not allowed|ERR_JWS_INVALID|ERR_JOSE_ALG_NOT_ALLOWED/);
  });

  it('refuses another HMAC algorithm even with the right secret', async () => {
    const t = await new SignJWT({ tenant: 3, role: 'owner' }).setProtectedHeader({ alg: 'HS512' }).setSubject('7')
      .setIssuer('hermes').setAudience('hermes-admin').setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(SECRET));
    expect(await reason(t)).toBe('algorithm not allowed');
  });

  it('refuses an RS256 token signed with somebody else\'s key', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const t = await new SignJWT({ tenant: 3, role: 'owner' }).setProtectedHeader({ alg: 'RS256' }).setSubject('7')
      .setIssuer('hermes').setAudience('hermes-admin').setIssuedAt().setExpirationTime('10m').sign(privateKey);
    expect(await reason(t)).toBe('algorithm not allowed');
  });

  it('refuses a token signed with a different secret', async () => {
    const other = new AccessTokens({ ...settings, secret: 'another-secret-that-is-also-32-characters!!' });
    expect(await reason(await other.sign(alice))).toBe('bad signature');
  });

  it('refuses an expired token', async () => {
    const t = await tokens.sign(alice, new Date(Date.now() - 16 * 60 * 1000));
    expect(await reason(t)).toBe('expired');
  });

  it('refuses the wrong issuer and the wrong audience', async () => {
    expect(await reason(await new AccessTokens({ ...settings, issuer: 'someone-else' }).sign(alice))).toBe('claim iss check failed');
    expect(await reason(await new AccessTokens({ ...settings, audience: 'billing' }).sign(alice))).toBe('claim aud check failed');
  });

  it('refuses well-signed tokens with claims we did not issue', async () => {
    const key = new TextEncoder().encode(SECRET);
    const mk = (claims: Record<string, unknown>, sub = '7') => new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject(sub)
      .setIssuer('hermes').setAudience('hermes-admin').setIssuedAt().setExpirationTime('10m').sign(key);
    expect(await reason(await mk({ tenant: 3, role: 'superuser' }))).toBe('bad role claim');
    expect(await reason(await mk({ tenant: '3', role: 'owner' }))).toBe('bad tenant claim');
    expect(await reason(await mk({ tenant: 3, role: 'owner' }, 'admin'))).toBe('bad subject');
  });

  it('refuses garbage', async () => {
    expect(await reason('not.a.jwt')).toBeTruthy();
    expect(await reason('')).toBeTruthy();
  });
});
