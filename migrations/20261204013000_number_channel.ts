// Which channel answers a number: null follows the CHANNEL setting (media-streams by default); 'conversation-relay'
// lets Twilio do recognition and voice for that number's calls (a firm without its own speech vendor).
import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('phone_numbers', (t) => {
    t.string('channel', 32).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('phone_numbers', (t) => {
    t.dropColumn('channel');
  });
}
