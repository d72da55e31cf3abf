// How the conversation ended, kept on the intake beside its status: a taken message is status complete (or partial
// when no way back was collected) with outcome 'message', so staff can tell a message from a full intake.
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('intakes', (t) => {
    // completed | transferred | message | conflict | abandoned (flows/commands.ts Outcome); null while in progress
    t.string('outcome', 20).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('intakes', (t) => {
    t.dropColumn('outcome');
  });
}
