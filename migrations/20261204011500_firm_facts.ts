// The firm facts callers hear, kept with the firm (issue 11 item 5): main number, on-call list, hours, holidays,
// consultation fee, address as JSON beside the tenant's name and time zone. A flow's `firm:` block is the default
// for whatever a firm has not set.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.text('firm_facts').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.dropColumn('firm_facts');
  });
}
