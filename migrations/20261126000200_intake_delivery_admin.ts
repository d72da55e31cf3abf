// Intakes, the outbox, integration credentials, and the admin side (users, refresh tokens, audit log, flow versions).
// Identical on SQLite and PostgreSQL: JSON is stored in text columns (parse with db/knex parseJson).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('intakes', (t) => {
    t.increments('id').primary();
    t.string('call_sid', 64).notNullable().unique().references('calls.call_sid').onDelete('CASCADE');
    t.integer('tenant_id').nullable().references('tenants.id').onDelete('SET NULL');
    t.string('flow_id', 200).notNullable();
    // partial | complete | abandoned | conflict | transferred
    t.string('status', 20).notNullable().defaultTo('partial');
    t.text('slots').notNullable().defaultTo('{}');
    // Slots whose value was confirmed (validated or read back), as a JSON array of names.
    t.text('confirmed_slots').notNullable().defaultTo('[]');
    t.string('caller_name', 200).nullable();
    t.string('callback_phone', 32).nullable();
    t.string('email', 320).nullable();
    t.string('practice_area', 40).nullable();
    t.string('incident_date', 10).nullable();
    t.boolean('is_emergency').nullable();
    t.boolean('sol_risk').nullable();
    t.string('payment_status', 20).nullable();
    t.timestamp('paid_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'status']);
  });
  await knex.schema.createTable('outbox', (t) => {
    t.increments('id').primary();
    t.integer('tenant_id').nullable().references('tenants.id').onDelete('SET NULL');
    t.integer('intake_id').nullable().references('intakes.id').onDelete('SET NULL');
    t.string('call_sid', 64).nullable();
    t.string('action', 60).notNullable();
    t.text('args').notNullable().defaultTo('{}');
    // Remote ids recorded as a multi-step effect progresses, so a retry resumes where it failed.
    t.text('progress').notNullable().defaultTo('{}');
    t.string('idempotency_key', 200).notNullable().unique();
    // pending | in_flight | delivered | dead
    t.string('status', 20).notNullable().defaultTo('pending');
    t.integer('attempts').notNullable().defaultTo(0);
    t.integer('max_attempts').notNullable().defaultTo(12);
    t.timestamp('next_attempt_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('last_error').nullable();
    t.string('locked_by', 100).nullable();
    t.timestamp('locked_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('delivered_at', { useTz: true }).nullable();
    t.index(['status', 'next_attempt_at']);
  });
  await knex.schema.createTable('integration_credentials', (t) => {
    t.increments('id').primary();
    t.integer('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('provider', 40).notNullable();
    // AES-256-GCM ciphertext of the token JSON (iv.tag.data, base64).
    t.text('secret_enc').notNullable();
    t.text('meta').notNullable().defaultTo('{}');
    t.timestamp('expires_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'provider']);
  });
  await knex.schema.createTable('oauth_states', (t) => {
    t.string('state', 100).primary();
    t.integer('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('provider', 40).notNullable();
    t.timestamp('expires_at', { useTz: true }).notNullable();
  });
  await knex.schema.createTable('users', (t) => {
    t.increments('id').primary();
    t.integer('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('email', 320).notNullable().unique();
    t.text('password_hash').notNullable();
    // owner | attorney | staff | viewer
    t.string('role', 20).notNullable();
    t.boolean('disabled').notNullable().defaultTo(false);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('refresh_tokens', (t) => {
    t.increments('id').primary();
    t.integer('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.string('family_id', 64).notNullable();
    t.string('token_hash', 128).notNullable().unique();
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true }).nullable();
    t.timestamp('revoked_at', { useTz: true }).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['family_id']);
  });
  await knex.schema.createTable('audit_log', (t) => {
    t.increments('id').primary();
    t.integer('tenant_id').nullable().references('tenants.id').onDelete('SET NULL');
    t.integer('user_id').nullable().references('users.id').onDelete('SET NULL');
    t.string('action', 100).notNullable();
    t.string('target', 200).nullable();
    t.text('details').notNullable().defaultTo('{}');
    t.timestamp('at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['tenant_id', 'at']);
  });
  await knex.schema.createTable('flow_versions', (t) => {
    t.increments('id').primary();
    t.integer('tenant_id').notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('flow_id', 200).notNullable();
    t.string('version', 100).notNullable();
    t.text('yaml').notNullable();
    t.boolean('active').notNullable().defaultTo(false);
    t.integer('created_by').nullable().references('users.id').onDelete('SET NULL');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['tenant_id', 'flow_id', 'version']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const t of ['flow_versions', 'audit_log', 'refresh_tokens', 'users', 'oauth_states', 'integration_credentials', 'outbox', 'intakes']) {
    await knex.schema.dropTableIfExists(t);
  }
}
