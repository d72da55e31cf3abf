// What the media socket may rely on, kept on the call row: the flow the voice webhook chose (so a stream never names
// its own flow), the stream that claimed the call (one live stream per call, across instances) and the last heartbeat
// of the live session (so calls a crash interrupted are found and settled, not left in-progress for hours).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    // File path from configuration or stored:<tenant>/<flow>@<version>; null for rows written before this migration.
    t.string('flow_ref', 500).nullable();
    t.string('stream_sid', 64).nullable();
    t.timestamp('last_seen_at', { useTz: true }).nullable();
    t.index(['status', 'last_seen_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('calls', (t) => {
    t.dropIndex(['status', 'last_seen_at']);
    t.dropColumn('last_seen_at');
    t.dropColumn('stream_sid');
    t.dropColumn('flow_ref');
  });
}
