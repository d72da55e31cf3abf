// The recordkeeping port a session uses (Twilio recording after the disclosure, the call's language on its row).
// Whether the firm records at all reaches the call with its other facts (src/call/firm-flows.ts, one cached read).
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import type { CallRecordkeeping } from '../call/recording.js';
import { setCallLanguage } from '../intake/call-language.js';
import { createTwilioRecordings, type TwilioRecordings } from './recordings.js';

/**
 * Starts recordings with Twilio's REST API, reporting to `statusCallbackUrl` (null without PUBLIC_URL: a recording
 * nobody would hear about is not started). `recordings` is replaceable for tests.
 */
export function callRecordkeeping(db: Db, config: Config, statusCallbackUrl: string | null, recordings: TwilioRecordings = createTwilioRecordings(config)): CallRecordkeeping {
  return {
    async startRecording(callSid) {
      if (!statusCallbackUrl) throw new Error('PUBLIC_URL is not set, so Twilio could not report the recording');
      await recordings.start(callSid, statusCallbackUrl);
    },
    spokeIn: (callSid, language) => setCallLanguage(db, callSid, language),
  };
}
