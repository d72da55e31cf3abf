// Who at the firm hears a taken message, and the messages themselves. A staff contact receives the kinds listed in
// `kinds` (JSON array of message | emergency | new_intake | after_hours). A message row is written when the flow takes
// it, in the same transaction as its outbox row, with the recipients looked up then (what the caller was told), and
// stays status 'new' until someone marks it handled in the admin API.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('staff_contacts', (t) => {
    t.increments('id').primary();
    t.integer('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('name', 200).notNullable();
    t.string('phone', 20).nullable();
    t.string('email', 320).nullable();
    t.text('kinds').notNullable().defaultTo('[]');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['tenant_id']);
  });
  await knex.schema.createTable('messages', (t) => {
    t.increments('id').primary();
    t.integer('tenant_id').nullable().references('tenants.id').onDelete('CASCADE');
    t.integer('intake_id').nullable().references('intakes.id').onDelete('SET NULL');
    t.string('call_sid', 64).nullable();
    // The flow effect that took it (CallSid:effect id): a replayed effect finds its message instead of a second one.
    t.string('idempotency_key', 200).notNullable().unique();
    // message | emergency | new_intake
    t.string('kind', 20).notNullable();
    t.boolean('after_hours').notNullable().defaultTo(false);
    t.boolean('existing_client').notNullable().defaultTo(false);
    t.string('caller_name', 200).nullable();
    t.string('callback_phone', 32).nullable();
    t.text('body').notNullable().defaultTo('');
    // [{contactId, name, phone, email}] as looked up when the message was taken
    t.text('recipients').notNullable().defaultTo('[]');
    // new | handled
    t.string('status', 20).notNullable().defaultTo('new');
    t.timestamp('handled_at', { useTz: true }).nullable();
    t.integer('handled_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.index(['tenant_id', 'status', 'created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('messages');
  await knex.schema.dropTableIfExists('staff_contacts');
}
