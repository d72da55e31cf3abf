// Opening a call's session reads its firm once: a call row without a flow reference (the number mapping decides the
// flow) must not overlay the flow for the mapping's tenant and then again for the call's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_TOKEN, PUBLIC_URL, startHarness, type Harness } from '../telephony/harness.js';
import { FakeTwilioCaller } from '../fakes/twilio-caller.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('runtime.open', () => {
  it('asks for the firm view of the flow once when the call row names no flow', async () => {
    const rt = h.services.callRuntime;
    const real = rt.deps.firmFlow!;
    const asked: (number | null)[] = [];
    rt.deps.firmFlow = Object.assign((flow: Parameters<typeof real>[0], tenantId: number | null) => (asked.push(tenantId), real(flow, tenantId)), { forget: (id: number) => real.forget(id) });
    try {
      const hook = await h.voiceWebhook({});
      await h.db.db('calls').where({ call_sid: hook.callSid }).update({ flow_ref: null });
      asked.length = 0; // the voice webhook's own route() is not the stream's business
      const caller = new FakeTwilioCaller({ serverUrl: h.url.replace('http', 'ws'), publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid: hook.callSid, params: hook.params });
      await caller.connect();
      await caller.waitFor(() => caller.frames.length > 0, 8000, 'greeting');
      expect(asked).toEqual([null]);
      await caller.hangup();
      await caller.waitFor(() => !rt.sessions.has(caller.callSid), 5000, 'session released');
    } finally {
      rt.deps.firmFlow = real;
    }
  });
});
