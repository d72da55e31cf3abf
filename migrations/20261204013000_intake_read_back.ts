// Which slot values the caller confirmed in a read-back ("I have the 3rd of November 2026, a Tuesday. Is that right?"
// "Yes."), kept apart from confirmed_slots, which also holds values accepted without one (sure, or validated): staff
// and Clio see which values the caller heard and agreed to.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('intakes', (t) => {
    t.text('read_back_slots').notNullable().defaultTo('[]');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('intakes', (t) => {
    t.dropColumn('read_back_slots');
  });
}
