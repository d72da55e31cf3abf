// Tenants (firms) and their users: creation with validated input and a hashed password, look-ups for login.
// E-mail addresses are stored lower-cased so login is case-insensitive.
import type { Db } from '../db/knex.js';
import { hashPassword, passwordProblem } from './passwords.js';
import { isRole, ROLES, type Role } from './permissions.js';

export interface TenantRow {
  id: number;
  name: string;
  slug: string;
  timezone: string;
}

export interface UserRow {
  id: number;
  tenant_id: number;
  email: string;
  password_hash: string;
  role: Role;
  disabled: boolean;
}

export class UserInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'UserInputError';
  }
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function createTenant(db: Db, input: { slug: string; name: string; timezone?: string }): Promise<TenantRow> {
  const slug = input.slug.trim();
  if (!SLUG.test(slug)) throw new UserInputError('slug', 'use lower-case letters, digits and dashes (e.g. smith-law)');
  if (input.name.trim() === '') throw new UserInputError('name', 'must not be empty');
  const timezone = input.timezone ?? 'America/New_York';
  if (!isTimeZone(timezone)) throw new UserInputError('timezone', `unknown IANA time zone "${timezone}"`);
  if (await db('tenants').where({ slug }).first()) throw new UserInputError('slug', `a tenant "${slug}" already exists`);
  const [row] = await db('tenants').insert({ slug, name: input.name.trim(), timezone }).returning('id');
  return { id: idOf(row), slug, name: input.name.trim(), timezone };
}

export async function findTenantBySlug(db: Db, slug: string): Promise<TenantRow | undefined> {
  return db<TenantRow>('tenants').where({ slug }).first();
}

export async function createUser(
  db: Db,
  input: { tenantId: number; email: string; role: string; password: string },
): Promise<Omit<UserRow, 'password_hash'>> {
  const email = normaliseEmail(input.email);
  if (!EMAIL.test(email) || email.length > 320) throw new UserInputError('email', `"${input.email}" is not an e-mail address`);
  if (!isRole(input.role)) throw new UserInputError('role', `must be one of ${ROLES.join(', ')}`);
  const problem = passwordProblem(input.password);
  if (problem) throw new UserInputError('password', problem);
  if (await db('users').where({ email }).first()) throw new UserInputError('email', 'a user with this e-mail already exists');
  const password_hash = await hashPassword(input.password);
  const [row] = await db('users').insert({ tenant_id: input.tenantId, email, password_hash, role: input.role }).returning('id');
  return { id: idOf(row), tenant_id: input.tenantId, email, role: input.role, disabled: false };
}

export async function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  const row = await db<UserRow>('users').where({ email: normaliseEmail(email) }).first();
  return row ? { ...row, disabled: Boolean(row.disabled) } : undefined;
}

export async function findUserById(db: Db, id: number): Promise<UserRow | undefined> {
  const row = await db<UserRow>('users').where({ id }).first();
  return row ? { ...row, disabled: Boolean(row.disabled) } : undefined;
}

/** knex returns [{id}] on PostgreSQL and SQLite >= 3.35 with returning(); older paths give a bare number. */
export function idOf(row: unknown): number {
  return typeof row === 'object' && row !== null ? Number((row as { id: unknown }).id) : Number(row);
}

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}
