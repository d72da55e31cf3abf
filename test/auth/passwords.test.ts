import { describe, expect, it } from 'vitest';
import { hashPassword, passwordProblem, SCRYPT_PARAMS, verifyPassword } from '../../src/auth/passwords.js';

describe('password hashing', () => {
  it('stores scrypt parameters and a per-hash salt, and verifies only the right password', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).toMatch(new RegExp(`^scrypt\\$${SCRYPT_PARAMS.N}\\$${SCRYPT_PARAMS.r}\\$${SCRYPT_PARAMS.p}\\$[^$]+\\$[^$]+$`));
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', a)).toBe(false);
    expect(a).not.toContain('correct');
  });

  it('verifies a hash made with other parameters (cost can be raised later)', async () => {
    const { scryptSync, randomBytes } = await import('node:crypto');
    const salt = randomBytes(16);
    const key = scryptSync('old password here', salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('old password here', stored)).toBe(true);
  });

  it('answers false for malformed or foreign hashes instead of throwing', async () => {
    for (const h of ['', 'plain', 'bcrypt$2b$10$abc', 'scrypt$x$8$1$AAAA$BBBB', 'scrypt$1024$8$1$AAAA$', 'scrypt$99999999$8$1$AAAA$BBBB']) {
      expect(await verifyPassword('whatever', h)).toBe(false);
    }
  });

  it('refuses short passwords', () => {
    expect(passwordProblem('short')).toMatch(/at least 12/);
    expect(passwordProblem('long enough password')).toBeNull();
  });
});
