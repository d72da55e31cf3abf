// The small rules under recording and opt-out: which texts opt out (Twilio's keywords, whole message only), how
// recording status callbacks that arrive out of order are kept, and when the call side starts a recording.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RecordingHook, type CallRecordkeeping } from '../../src/call/recording.js';
import { recordingOfCall, storeRecordingReport } from '../../src/intake/recordings-repo.js';
import { optOutIntent } from '../../src/intake/sms-opt-outs.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createTestDb, type TestDb } from '../helpers/db.js';

describe('opt-out keywords', () => {
  it("follow Twilio's list, matched on the whole message in any case", () => {
    for (const w of ['STOP', 'stop', ' Stop ', 'STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit', 'REVOKE', 'OPTOUT', 'stop.']) expect(optOutIntent(w), w).toBe('out');
    for (const w of ['START', 'start', 'YES', 'unstop']) expect(optOutIntent(w), w).toBe('in');
    for (const w of ['please stop texting me', 'HELP', 'INFO', '', "don't stop"]) expect(optOutIntent(w), w).toBeNull();
    expect(optOutIntent('Arrêtez', 'STOP')).toBe('out');
    expect(optOutIntent('Oui', 'START')).toBe('in');
  });
});

describe('recording status callbacks', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await createTestDb('sqlite');
    await t.db('calls').insert({ call_sid: 'CA1', tenant_id: null, from_number: '+13125550123', to_number: '+13125550100', flow_id: 'f', flow_version: '1', started_at: new Date() });
  });
  afterEach(async () => {
    await t.destroy();
  });
  const report = (twilioStatus: string, durationSeconds: number | null = null) => ({ recordingSid: 'RE1', callSid: 'CA1', twilioStatus, durationSeconds, channels: '2', url: 'https://api.twilio.com/x/RE1', errorCode: null });

  it('keep a completed recording completed when a late in-progress arrives, and say absent as failed', async () => {
    expect(await storeRecordingReport(t.db, report('completed', 30), new Date())).toBe(true);
    expect(await storeRecordingReport(t.db, report('in-progress'), new Date())).toBe(true);
    expect(await recordingOfCall(t.db, 'CA1')).toMatchObject({ status: 'completed', durationSeconds: 30 });
    expect(await storeRecordingReport(t.db, { ...report('absent'), recordingSid: 'RE2' }, new Date())).toBe(true);
    expect((await t.db('recordings').where({ recording_sid: 'RE2' }).first('status')).status).toBe('failed');
  });

  it('are refused for a call that is not ours', async () => {
    expect(await storeRecordingReport(t.db, { ...report('completed'), callSid: 'CA404' }, new Date())).toBe(false);
    expect(await t.db('recordings').count({ n: '*' })).toEqual([{ n: 0 }]);
  });
});

describe('the call side of recording', () => {
  const DISCLOSURE = "Hello. I'm an AI assistant, and this call may be recorded. I can't give legal advice.";
  function hook(record: boolean) {
    const started: string[] = [];
    const languages: string[] = [];
    const port: CallRecordkeeping = {
      startRecording: async (sid) => void started.push(sid),
      spokeIn: async (_sid, l) => void languages.push(l),
    };
    return { h: new RecordingHook(port, { callSid: 'CA1', tenantId: 1, log: silentLogger() }, record), started, languages };
  }

  it('starts once, when every sentence of the first line was heard', () => {
    const { h, started } = hook(true);
    h.said('s1', DISCLOSURE, 'en');
    h.said('s2', 'How can I help?', 'en');
    h.played('s2', 'How can I help?');
    expect(started).toEqual([]);
    h.played('s1', "Hello. I'm an AI assistant, and this call may be recorded.  I can't give legal advice.");
    h.played('s1', DISCLOSURE);
    expect(started).toEqual(['CA1']);
  });

  it('starts nothing for a disclosure cut short, or for a firm that does not record', () => {
    const cut = hook(true);
    cut.h.said('s1', DISCLOSURE, 'en');
    cut.h.played('s1', 'Hello.');
    expect(cut.started).toEqual([]);
    const off = hook(false);
    off.h.said('s1', DISCLOSURE, 'en');
    off.h.played('s1', DISCLOSURE);
    expect(off.started).toEqual([]);
  });

  it('stores the language each time the conversation changes it', () => {
    const { h, languages } = hook(false);
    h.said('s1', 'Hello', 'en');
    h.said('s2', 'Hola', 'es');
    h.said('s3', '¿Su nombre?', 'es');
    expect(languages).toEqual(['en', 'es']);
  });
});
