// The parties a party slot's answer named, beside the names in `slots`: per slot, each party's name, the caller's
// relationship to them ("husband", "other driver", "employer") and the caller's own words. The slot value keeps only
// the names (what the conflict check searches); staff, the Clio note and webhooks get the rest from here.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('intakes', (t) => {
    t.text('parties').notNullable().defaultTo('{}');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('intakes', (t) => {
    t.dropColumn('parties');
  });
}
