// Where staff are with each intake (new -> called_back -> consultation_booked / declined / not_a_fit), kept apart from
// the intake's own status (how the call went): the current step on the intake, every move in intake_reviews with who
// made it and when, so the inbox can say "called back by Ana at 10:42".
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('intakes', (t) => {
    t.string('review_status', 24).notNullable().defaultTo('new');
    t.integer('reviewed_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('reviewed_at', { useTz: true }).nullable();
    t.index(['tenant_id', 'review_status']);
  });
  await knex.schema.createTable('intake_reviews', (t) => {
    t.increments('id').primary();
    t.integer('intake_id').notNullable().references('intakes.id').onDelete('CASCADE');
    t.integer('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.integer('user_id').nullable().references('users.id').onDelete('SET NULL');
    t.string('from_status', 24).notNullable();
    t.string('to_status', 24).notNullable();
    t.string('note', 500).nullable();
    t.timestamp('at', { useTz: true }).notNullable();
    t.index(['intake_id', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('intake_reviews');
  await knex.schema.alterTable('intakes', (t) => {
    t.dropIndex(['tenant_id', 'review_status']);
    t.dropColumn('reviewed_at');
    t.dropColumn('reviewed_by');
    t.dropColumn('review_status');
  });
}
