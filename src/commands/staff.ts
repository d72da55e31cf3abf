// `hermes staff add|list|remove --tenant <slug>`: the people a firm's taken messages go to, and which kinds each
// receives (message, emergency, new_intake, after_hours). The same rules as POST /api/staff-contacts.
import type { Command } from 'commander';
import { findTenantBySlug, UserInputError } from '../auth/users.js';
import type { Db } from '../db/knex.js';
import { CONTACT_KINDS, createStaffContactsRepo, StaffContactInputError, type StaffContact } from '../intake/staff-contacts-repo.js';
import { failOnInput, withDb } from './tenants.js';

async function tenantId(db: Db, slug: string): Promise<number> {
  const t = await findTenantBySlug(db, slug);
  if (!t) failOnInput(new UserInputError('tenant', `no tenant "${slug}" (hermes tenants list)`));
  return t.id;
}

const asInput = (err: unknown): unknown => (err instanceof StaffContactInputError ? new UserInputError(err.field, err.message.slice(err.field.length + 2)) : err);
const line = (c: StaffContact) => `${c.id}\t${c.name}\t${c.phone ?? '-'}\t${c.email ?? '-'}\t${c.kinds.join(',')}`;

export function registerStaff(program: Command): void {
  const staff = program.command('staff').description('Manage who receives taken messages (staff contacts of a firm)');
  staff
    .command('add')
    .description('Add a staff contact')
    .requiredOption('--tenant <slug>', 'firm slug (hermes tenants list)')
    .requiredOption('--name <name>', 'person or desk, e.g. "Ana Rivera"')
    .option('--phone <e164>', 'mobile number for SMS, E.164 (+13125550199)')
    .option('--email <address>', 'e-mail address')
    .requiredOption('--kinds <list>', `comma-separated: ${CONTACT_KINDS.join(', ')}`)
    .action(async (opts: { tenant: string; name: string; phone?: string; email?: string; kinds: string }) => {
      await withDb(async (db) => {
        try {
          const c = await createStaffContactsRepo(db).create(await tenantId(db, opts.tenant), { name: opts.name, phone: opts.phone ?? null, email: opts.email ?? null, kinds: opts.kinds.split(',') });
          console.log(`added staff contact ${c.id}: ${c.name} receives ${c.kinds.join(', ')}`);
        } catch (err) {
          failOnInput(asInput(err));
        }
      });
    });
  staff
    .command('list')
    .description('List the staff contacts of a firm (id, name, phone, email, kinds)')
    .requiredOption('--tenant <slug>', 'firm slug')
    .action(async (opts: { tenant: string }) => {
      await withDb(async (db) => {
        const rows = await createStaffContactsRepo(db).list(await tenantId(db, opts.tenant));
        if (rows.length === 0) console.log(`no staff contacts: taken messages reach nobody (hermes staff add --tenant ${opts.tenant} ...)`);
        for (const c of rows) console.log(line(c));
      });
    });
  staff
    .command('remove')
    .description('Remove a staff contact')
    .requiredOption('--tenant <slug>', 'firm slug')
    .requiredOption('--id <id>', 'contact id (hermes staff list)')
    .action(async (opts: { tenant: string; id: string }) => {
      await withDb(async (db) => {
        const id = Number(opts.id);
        if (!Number.isInteger(id) || id < 1) failOnInput(new UserInputError('id', `"${opts.id}" is not a contact id`));
        if (!(await createStaffContactsRepo(db).remove(await tenantId(db, opts.tenant), id))) failOnInput(new UserInputError('id', `no staff contact ${id} in ${opts.tenant}`));
        console.log(`removed staff contact ${id}`);
      });
    });
}
