// The call path's view of the firm's privacy settings: whether the disclosure may say the call is recorded, and the
// recordkeeping port a session uses (Twilio recording after the disclosure, the call's language on its row).
import type { Config } from '../config.js';
import type { Db } from '../db/knex.js';
import type { CallRecordkeeping } from '../call/recording.js';
import type { FirmSettingsFacts } from '../flows/core.js';
import { setCallLanguage } from '../intake/call-language.js';
import { firmSettings } from '../intake/firm-settings.js';
import { createTwilioRecordings, type TwilioRecordings } from './recordings.js';

/** What a call's flow reads as firm facts from the tenant: recording is true only for a firm that records. */
export async function firmFacts(db: Db, tenantId: number | null): Promise<FirmSettingsFacts> {
  return { recording: (await firmSettings(db, tenantId)).recording === 'on' };
}

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
