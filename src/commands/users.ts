// `hermes users create --tenant <slug> --role <role> --email <e> [--password-stdin]`: the first owner of a firm is
// made here; later users can be added by an owner through POST /api/users.
// The password is read from stdin (never from argv, which other local users can see in `ps`), or generated and
// printed once.
import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { ROLES } from '../auth/permissions.js';
import { createUser, findTenantBySlug, UserInputError } from '../auth/users.js';
import { failOnInput, withDb } from './tenants.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  // One trailing newline comes from `echo` or a here-string; it is not part of the password.
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description('Manage admin users');
  users
    .command('create')
    .description('Create a user of a firm')
    .requiredOption('--tenant <slug>', 'firm slug (hermes tenants list)')
    .requiredOption('--role <role>', `one of ${ROLES.join(', ')}`)
    .requiredOption('--email <email>', 'login e-mail')
    .option('--password-stdin', 'read the password from standard input instead of generating one')
    .action(async (opts: { tenant: string; role: string; email: string; passwordStdin?: boolean }) => {
      const generated = !opts.passwordStdin;
      const password = generated ? randomBytes(18).toString('base64url') : await readStdin();
      await withDb(async (db) => {
        try {
          const tenant = await findTenantBySlug(db, opts.tenant);
          if (!tenant) throw new UserInputError('tenant', `no tenant "${opts.tenant}" (create it with: hermes tenants create --slug ${opts.tenant} --name ...)`);
          const u = await createUser(db, { tenantId: tenant.id, email: opts.email, role: opts.role, password });
          console.log(`created ${u.role} ${u.email} (id ${u.id}) in ${tenant.slug}`);
          if (generated) console.log(`password (shown once): ${password}`);
        } catch (err) {
          failOnInput(err);
        }
      });
    });
  users
    .command('list')
    .description('List the users of a firm')
    .requiredOption('--tenant <slug>', 'firm slug')
    .action(async (opts: { tenant: string }) => {
      await withDb(async (db) => {
        const tenant = await findTenantBySlug(db, opts.tenant);
        if (!tenant) failOnInput(new UserInputError('tenant', `no tenant "${opts.tenant}"`));
        const rows = (await db('users').where({ tenant_id: tenant.id }).orderBy('id').select('id', 'email', 'role', 'disabled')) as { id: number; email: string; role: string; disabled: unknown }[];
        for (const r of rows) console.log(`${r.id}\t${r.role}\t${r.email}${r.disabled ? '\t(disabled)' : ''}`);
      });
    });
}
