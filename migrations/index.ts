// Every migration, in order. Add new ones at the end; never edit one that has shipped.
import type { Knex } from 'knex';
import * as core from './20261126000100_core.js';
import * as intakeDeliveryAdmin from './20261126000200_intake_delivery_admin.js';
import * as intakeOutcome from './20261126073805_intake_outcome.js';
import * as callStreamClaim from './20261202202959_call_stream_claim.js';
import * as intakeReview from './20261203150000_intake_review.js';
import * as staffMessages from './20261203150000_staff_messages.js';
import * as firmFacts from './20261204011500_firm_facts.js';
import * as recordingRetention from './20261204010000_recording_retention.js';
import * as intakeReadBack from './20261204013000_intake_read_back.js';
import * as callResume from './20261204010000_call_resume.js';
import * as numberChannel from './20261204013000_number_channel.js';
import * as intakeParties from './20261204190000_intake_parties.js';

export interface Migration {
  name: string;
  module: { up(knex: Knex): Promise<void>; down(knex: Knex): Promise<void> };
}

export const MIGRATIONS: Migration[] = [
  { name: '20261126000100_core', module: core },
  { name: '20261126000200_intake_delivery_admin', module: intakeDeliveryAdmin },
  { name: '20261126073805_intake_outcome', module: intakeOutcome },
  { name: '20261202202959_call_stream_claim', module: callStreamClaim },
  { name: '20261203150000_intake_review', module: intakeReview },
  { name: '20261203150000_staff_messages', module: staffMessages },
  { name: '20261204010000_call_resume', module: callResume },
  { name: '20261204010000_recording_retention', module: recordingRetention },
  { name: '20261204011500_firm_facts', module: firmFacts },
  { name: '20261204013000_intake_read_back', module: intakeReadBack },
  { name: '20261204013000_number_channel', module: numberChannel },
  { name: '20261204190000_intake_parties', module: intakeParties },
];
