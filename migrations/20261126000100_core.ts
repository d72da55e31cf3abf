// Tenants (firms), their phone numbers, calls and turns: what the call path writes from the first webhook on.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenants', (t) => {
    t.increments('id').primary();
    t.string('name', 200).notNullable();
    t.string('slug', 100).notNullable().unique();
    t.string('timezone', 64).notNullable().defaultTo('America/New_York');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('phone_numbers', (t) => {
    t.increments('id').primary();
    t.string('e164', 20).notNullable().unique();
    t.integer('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('flow', 300).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('calls', (t) => {
    t.string('call_sid', 64).primary();
    t.integer('tenant_id').nullable().references('tenants.id').onDelete('SET NULL');
    t.string('from_number', 32).notNullable();
    t.string('to_number', 32).notNullable();
    t.string('flow_id', 200).notNullable();
    t.string('flow_version', 100).notNullable();
    t.string('status', 32).notNullable().defaultTo('in-progress');
    t.string('outcome', 32).nullable();
    t.string('end_reason', 300).nullable();
    t.integer('duration_s').nullable();
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true }).nullable();
    t.index(['tenant_id', 'started_at']);
  });
  await knex.schema.createTable('turns', (t) => {
    t.increments('id').primary();
    t.string('call_sid', 64).notNullable().references('calls.call_sid').onDelete('CASCADE');
    t.integer('seq').notNullable();
    t.string('speaker', 10).notNullable();
    t.text('text').notNullable();
    t.text('heard_text').nullable();
    t.boolean('interrupted').notNullable().defaultTo(false);
    t.timestamp('started_at', { useTz: true }).notNullable();
    t.timestamp('ended_at', { useTz: true }).notNullable();
    t.integer('llm_first_token_ms').nullable();
    t.integer('tts_first_byte_ms').nullable();
    t.integer('first_frame_ms').nullable();
    t.unique(['call_sid', 'seq']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('turns');
  await knex.schema.dropTableIfExists('calls');
  await knex.schema.dropTableIfExists('phone_numbers');
  await knex.schema.dropTableIfExists('tenants');
}
