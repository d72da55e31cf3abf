// What any instance needs to carry a call on when its media stream ends without the call ending (a process died, a
// socket dropped, a deploy): the conversation snapshot after every turn, what Twilio should do after the stream
// (transfer, goodbye; no longer a per-process map), how often the call was resumed, when its stream claim was last
// released (stream tokens minted before that are refused) and which instance holds the stream (the live view).
// Also the limits several instances must share on PostgreSQL: fixed-window counters (the admin API's rate limits)
// and a sliding log of requests (the Clio request budget per firm).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    // JSON (call/snapshot.ts): engine state, language, pending question, what the caller heard, turns written.
    t.text('snapshot').nullable();
    t.timestamp('snapshot_at', { useTz: true }).nullable();
    // JSON AfterStreamPlan, taken once by the <Connect action> request.
    t.text('after_stream').nullable();
    t.integer('resumes').notNullable().defaultTo(0);
    t.timestamp('stream_released_at', { useTz: true }).nullable();
    t.string('instance', 100).nullable();
  });
  await knex.schema.createTable('shared_counters', (t) => {
    t.string('key', 300).primary();
    t.integer('count').notNullable();
    // Milliseconds since the epoch: compared with the caller's clock, the same on every engine.
    t.bigInteger('reset_at').notNullable();
  });
  await knex.schema.createTable('shared_budget_events', (t) => {
    t.increments('id').primary();
    t.string('key', 200).notNullable();
    t.bigInteger('at').notNullable();
    t.index(['key', 'at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('shared_budget_events');
  await knex.schema.dropTable('shared_counters');
  await knex.schema.alterTable('calls', (t) => {
    t.dropColumn('instance');
    t.dropColumn('stream_released_at');
    t.dropColumn('resumes');
    t.dropColumn('after_stream');
    t.dropColumn('snapshot_at');
    t.dropColumn('snapshot');
  });
}
