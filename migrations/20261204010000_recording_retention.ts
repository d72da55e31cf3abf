// Recording that matches the disclosure, how long a firm keeps what callers said, and the caller's texting choice.
// tenants.recording (off | on) decides both what the bundled disclosure says and whether Twilio records the call;
// tenants.retention_days (null: kept until deleted) bounds transcripts, recordings and intakes never delivered.
// recordings: one row per Twilio recording, written from its status callback. calls.language: the language the
// conversation ended in (the caller's text after the call is written in it). sms_opt_outs: numbers that texted STOP
// (kept after a caller's erasure: the opt-out is what stops us texting them again).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.string('recording', 8).notNullable().defaultTo('off');
    t.integer('retention_days').nullable();
  });
  await knex.schema.alterTable('calls', (t) => {
    t.string('language', 8).nullable();
  });
  await knex.schema.createTable('recordings', (t) => {
    t.increments('id').primary();
    t.string('recording_sid', 64).notNullable().unique();
    t.string('call_sid', 64).notNullable().references('calls.call_sid').onDelete('CASCADE');
    t.integer('tenant_id').nullable().references('tenants.id').onDelete('CASCADE');
    // in-progress | completed | failed | deleted (absent is stored as failed)
    t.string('status', 20).notNullable();
    t.integer('duration_s').nullable();
    t.string('channels', 8).nullable();
    // Twilio's RecordingUrl without extension (media is fetched as .mp3 or .wav)
    t.text('url').nullable();
    t.string('error_code', 16).nullable();
    t.timestamp('created_at', { useTz: true }).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable();
    t.index(['call_sid']);
  });
  await knex.schema.createTable('sms_opt_outs', (t) => {
    t.string('phone', 32).primary();
    // the keyword that opted out (STOP, UNSUBSCRIBE...) or 21610 when Twilio refused a send
    t.string('keyword', 16).notNullable();
    t.timestamp('at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('sms_opt_outs');
  await knex.schema.dropTableIfExists('recordings');
  await knex.schema.alterTable('calls', (t) => {
    t.dropColumn('language');
  });
  await knex.schema.alterTable('tenants', (t) => {
    t.dropColumn('retention_days');
    t.dropColumn('recording');
  });
}
