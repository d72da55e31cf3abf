// A warm transfer from a ConversationRelay call: the session parks the conversation (as on Media Streams) before it
// sends `end`, so the attorney's whisper has the caller's details, and <Connect action> answers the warm <Dial>.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { placeRelayCall } from './relay-harness.js';

const FLOW = resolve('test/telephony/fixtures/warm-transfer.yaml');

describe('a warm transfer on ConversationRelay', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ deepgram: null, config: { defaultFlow: FLOW, channel: 'conversation-relay', relaySpeechMsPerChar: 1 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('ends with handoffData naming a warm transfer; the parked call holds the whisper; the action rings the first number', async () => {
    const c = await placeRelayCall(h, { from: '+13125550123' });
    for (const said of ['Denise Carter', 'my son was arrested tonight', 'yes']) {
      await c.waitForQuiet(150, 15000);
      const replied = c.cycles.filter((x) => x.closed).length;
      c.prompt(said);
      await c.waitForCycle(replied, 15000);
    }
    await c.waitFor(() => c.ends.length === 1 && c.actionTwiml !== null, 15000, 'end and action');
    expect(JSON.parse(c.ends[0]!.handoffData)).toMatchObject({ reason: 'transfer', warm: true, to: '+13125550199' });
    const parked = h.services.callRuntime.parkedCall(c.callSid);
    expect(parked?.warm.whisper).toBe('Emergency call for Rivera & Associates: Denise Carter, my son was arrested tonight. Press 1 to take the call.');
    expect(c.actionTwiml).toContain('+13125550199');
    await c.waitFor(() => !h.services.callRuntime.sessions.has(c.callSid), 5000, 'session released');
    // Parked, not ended: the intake and call row wait for the transfer's result.
    expect((await h.calls.get(c.callSid))?.outcome).toBeNull();
  });
});
