// Rotating refresh tokens. Each is 32 random bytes handed to the client once and stored only as its SHA-256.
// A login starts a family; every refresh marks the presented token used and issues the next one in the same family.
// Presenting a token that was already used means it was copied: the whole family is revoked, so the thief and the
// victim are both logged out and the victim's next login starts clean.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Db } from '../db/knex.js';
import { toDate } from './dates.js';

export const REFRESH_TOKEN_TTL_MS = 14 * 24 * 3600 * 1000;

export type RefreshFailure = 'unknown' | 'expired' | 'revoked' | 'reused';

export class RefreshError extends Error {
  constructor(readonly reason: RefreshFailure) {
    super(`refresh token ${reason}`);
    this.name = 'RefreshError';
  }
}

interface RefreshRow {
  id: number;
  user_id: number;
  family_id: string;
  expires_at: unknown;
  used_at: unknown;
  revoked_at: unknown;
}

const hash = (token: string): string => createHash('sha256').update(token).digest('hex');

export class RefreshTokens {
  constructor(private readonly db: Db, private readonly now: () => Date = () => new Date()) {}

  /** Starts a new family (a login). */
  async issue(userId: number, familyId: string = randomUUID(), db: Db = this.db): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await db('refresh_tokens').insert({
      user_id: userId,
      family_id: familyId,
      token_hash: hash(token),
      expires_at: new Date(this.now().getTime() + REFRESH_TOKEN_TTL_MS),
    });
    return token;
  }

  /** Uses `token` once and returns its successor with the user it belongs to; throws RefreshError otherwise. */
  async rotate(token: string): Promise<{ userId: number; token: string }> {
    const row = (await this.db('refresh_tokens').where({ token_hash: hash(token) }).first()) as RefreshRow | undefined;
    if (!row) throw new RefreshError('unknown');
    if (row.revoked_at !== null && row.revoked_at !== undefined) throw new RefreshError('revoked');
    if (row.used_at !== null && row.used_at !== undefined) {
      await this.revokeFamily(row.family_id);
      throw new RefreshError('reused');
    }
    const expires = toDate(row.expires_at);
    if (!expires || expires.getTime() <= this.now().getTime()) throw new RefreshError('expired');
    return this.db.transaction(async (trx) => {
      // The used_at IS NULL guard makes two concurrent refreshes with one token a reuse, not two successors.
      const claimed = await trx('refresh_tokens').where({ id: row.id }).whereNull('used_at').update({ used_at: this.now() });
      if (claimed !== 1) {
        await trx('refresh_tokens').where({ family_id: row.family_id }).whereNull('revoked_at').update({ revoked_at: this.now() });
        throw new RefreshError('reused');
      }
      const next = await this.issue(row.user_id, row.family_id, trx);
      return { userId: row.user_id, token: next };
    }).catch(async (err: unknown) => {
      // The transaction rolled back the revocation above with everything else; do it again outside it.
      if (err instanceof RefreshError && err.reason === 'reused') await this.revokeFamily(row.family_id);
      throw err;
    });
  }

  /** Logout: revokes the family of `token`. Unknown tokens are ignored (logout is idempotent). */
  async revoke(token: string): Promise<boolean> {
    const row = (await this.db('refresh_tokens').where({ token_hash: hash(token) }).first()) as RefreshRow | undefined;
    if (!row) return false;
    await this.revokeFamily(row.family_id);
    return true;
  }

  async revokeFamily(familyId: string): Promise<void> {
    await this.db('refresh_tokens').where({ family_id: familyId }).whereNull('revoked_at').update({ revoked_at: this.now() });
  }

  /** Every session of a user (a disabled user, a password change). */
  async revokeUser(userId: number): Promise<void> {
    await this.db('refresh_tokens').where({ user_id: userId }).whereNull('revoked_at').update({ revoked_at: this.now() });
  }
}
