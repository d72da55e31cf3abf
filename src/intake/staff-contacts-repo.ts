// Staff contacts of a firm: the people a taken message goes to (by SMS and/or e-mail), each with the kinds of message
// they receive. Input is checked here once (E.164 phone, e-mail shape, known kinds) so the API and the CLI refuse the
// same things with the same words.
import type { Knex } from 'knex';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { rowDate, rowJson } from './rows.js';

export const CONTACT_KINDS = ['message', 'emergency', 'new_intake', 'after_hours'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];
/** What a taken message is; after_hours is not a kind of message but a time (see recipientsFor). */
export type MessageKind = Exclude<ContactKind, 'after_hours'>;
export const MESSAGE_KINDS: readonly MessageKind[] = ['message', 'emergency', 'new_intake'];

export interface StaffContact {
  id: number;
  tenantId: number;
  name: string;
  /** E.164, or null for an e-mail-only contact. */
  phone: string | null;
  email: string | null;
  kinds: ContactKind[];
  createdAt: Date | null;
  updatedAt: Date | null;
}

export interface StaffContactInput {
  name: string;
  phone?: string | null;
  email?: string | null;
  kinds: readonly string[];
}

export class StaffContactInputError extends Error {
  constructor(readonly field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'StaffContactInputError';
  }
}

type Trx = Knex | Knex.Transaction;
type Row = Record<string, unknown>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function toStaffContact(r: Row): StaffContact {
  return {
    id: Number(r.id),
    tenantId: Number(r.tenant_id),
    name: String(r.name),
    phone: (r.phone as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    kinds: rowJson<ContactKind[]>(r.kinds, []),
    createdAt: rowDate(r.created_at),
    updatedAt: rowDate(r.updated_at),
  };
}

/** E.164 of a phone given in any common form (national numbers read as US); throws on anything else. */
export function normalisePhone(raw: string): string {
  const p = parsePhoneNumberFromString(raw.trim(), 'US');
  if (!p || !p.isValid()) throw new StaffContactInputError('phone', `"${raw}" is not a valid phone number (use E.164, e.g. +13125550199)`);
  return p.number;
}

function clean(input: StaffContactInput): { name: string; phone: string | null; email: string | null; kinds: ContactKind[] } {
  const name = input.name.trim();
  if (!name) throw new StaffContactInputError('name', 'is required');
  if (name.length > 200) throw new StaffContactInputError('name', 'is longer than 200 characters');
  const phone = input.phone ? normalisePhone(input.phone) : null;
  const email = input.email ? input.email.trim().toLowerCase() : null;
  if (email !== null && (email.length > 320 || !EMAIL.test(email))) throw new StaffContactInputError('email', `"${input.email}" is not an e-mail address`);
  if (!phone && !email) throw new StaffContactInputError('phone', 'a contact needs a phone number or an e-mail address (or both)');
  const kinds = [...new Set(input.kinds.map((k) => k.trim()))];
  const unknown = kinds.filter((k) => !(CONTACT_KINDS as readonly string[]).includes(k));
  if (unknown.length) throw new StaffContactInputError('kinds', `unknown kind ${unknown.map((k) => `"${k}"`).join(', ')} (use ${CONTACT_KINDS.join(', ')})`);
  if (kinds.length === 0) throw new StaffContactInputError('kinds', `name at least one of ${CONTACT_KINDS.join(', ')}`);
  return { name, phone, email, kinds: CONTACT_KINDS.filter((k) => kinds.includes(k)) };
}

/**
 * Who receives a message of `kind`: every contact with that kind, plus, when the message was taken outside business
 * hours, every contact with after_hours (the person covering nights and weekends). Emergencies go to the emergency
 * contacts only, at any hour. Ordered by id, so the list is stable.
 */
export function recipientsFor(contacts: readonly StaffContact[], kind: MessageKind, afterHours: boolean): StaffContact[] {
  return contacts.filter((c) => c.kinds.includes(kind) || (afterHours && kind !== 'emergency' && c.kinds.includes('after_hours')));
}

export interface StaffContactsRepo {
  list(tenantId: number): Promise<StaffContact[]>;
  get(tenantId: number, id: number): Promise<StaffContact | null>;
  create(tenantId: number, input: StaffContactInput): Promise<StaffContact>;
  /** Changes the given fields; null when the contact is not the firm's. */
  update(tenantId: number, id: number, patch: Partial<StaffContactInput>): Promise<StaffContact | null>;
  remove(tenantId: number, id: number): Promise<boolean>;
}

export function createStaffContactsRepo(db: Trx, now: () => Date = () => new Date()): StaffContactsRepo {
  const repo: StaffContactsRepo = {
    async list(tenantId) {
      return ((await db('staff_contacts').where({ tenant_id: tenantId }).orderBy('id')) as Row[]).map(toStaffContact);
    },
    async get(tenantId, id) {
      const r = (await db('staff_contacts').where({ tenant_id: tenantId, id }).first()) as Row | undefined;
      return r ? toStaffContact(r) : null;
    },
    async create(tenantId, input) {
      const c = clean(input);
      const at = now();
      const [row] = (await db('staff_contacts')
        .insert({ tenant_id: tenantId, name: c.name, phone: c.phone, email: c.email, kinds: JSON.stringify(c.kinds), created_at: at, updated_at: at })
        .returning('id')) as ({ id: number } | number)[];
      const id = Number(typeof row === 'object' ? row.id : row);
      return (await repo.get(tenantId, id))!;
    },
    async update(tenantId, id, patch) {
      const cur = await repo.get(tenantId, id);
      if (!cur) return null;
      const c = clean({
        name: patch.name ?? cur.name,
        phone: patch.phone === undefined ? cur.phone : patch.phone,
        email: patch.email === undefined ? cur.email : patch.email,
        kinds: patch.kinds ?? cur.kinds,
      });
      await db('staff_contacts').where({ tenant_id: tenantId, id }).update({ name: c.name, phone: c.phone, email: c.email, kinds: JSON.stringify(c.kinds), updated_at: now() });
      return repo.get(tenantId, id);
    },
    async remove(tenantId, id) {
      return Number(await db('staff_contacts').where({ tenant_id: tenantId, id }).delete()) > 0;
    },
  };
  return repo;
}
