// A media stream belongs to a call HERMES announced: every start the gate refuses opens no session, no Deepgram
// stream, makes no Twilio REST request and changes no row (counted at the fakes and in the database).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH_TOKEN, PUBLIC_URL, startHarness, type Harness } from './harness.js';
import { FakeTwilioCaller, newCallSid } from '../fakes/twilio-caller.js';
import { mintStreamToken, STREAM_TOKEN_PARAM, streamTokenKey } from '../../src/telephony/stream-token.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ deepgram: { script: () => undefined } });
});
afterAll(async () => {
  await h.close();
});

const key = () => streamTokenKey(h.config.streamTokenSecret, h.config.twilioAuthToken)!;
const rows = async () => JSON.stringify(await h.db.db('calls').orderBy('call_sid').select());
const intakes = async () => JSON.stringify(await h.db.db('intakes').orderBy('call_sid').select());

/** Connects a signed socket whose start carries `params`, and waits until the server closed it or 1.5 s passed. */
async function attempt(callSid: string, params: Record<string, string>): Promise<FakeTwilioCaller> {
  const c = new FakeTwilioCaller({ serverUrl: h.url.replace('http', 'ws'), publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid, params });
  await c.connect();
  await c.waitFor(() => c.closedAt !== null, 1500, 'refusal').catch(() => undefined);
  return c;
}

async function expectRefused(callSid: string, params: Record<string, string>, reason: string): Promise<void> {
  const listens = h.deepgram!.listens.length;
  const updates = h.rest.updates.length;
  const [callsBefore, intakesBefore] = [await rows(), await intakes()];
  const sessions = h.services.callRuntime.sessions.size;
  const refusedBefore = (await h.metrics.mediaRejected.get()).values.find((v) => v.labels.reason === `start_${reason}`)?.value ?? 0;
  const c = await attempt(callSid, params);
  expect(c.closeCode).toBe(1008);
  expect(c.frames.length).toBe(0); // no greeting
  expect(h.deepgram!.listens.length).toBe(listens); // no paid speech stream
  await new Promise((r) => setTimeout(r, 200));
  expect(h.rest.updates.length).toBe(updates); // no "Say + Hangup" for a CallSid we cannot vouch for
  expect(h.services.callRuntime.sessions.size).toBe(sessions);
  expect(await rows()).toBe(callsBefore);
  expect(await intakes()).toBe(intakesBefore);
  const refused = (await h.metrics.mediaRejected.get()).values.find((v) => v.labels.reason === `start_${reason}`)?.value ?? 0;
  expect(refused).toBe(refusedBefore + 1);
}

describe('media stream admission', () => {
  it('a start with no token is refused, for an invented CallSid and for a real one', async () => {
    await expectRefused(newCallSid(), { flow: 'whatever' }, 'no_token');
    const hook = await h.voiceWebhook({});
    const { [STREAM_TOKEN_PARAM]: _dropped, ...rest } = hook.params;
    await expectRefused(hook.callSid, rest, 'no_token');
  });

  it('an expired token is refused', async () => {
    const hook = await h.voiceWebhook({});
    const old = mintStreamToken(key(), hook.callSid, 'media', Date.now() - 10 * 60_000);
    await expectRefused(hook.callSid, { ...hook.params, [STREAM_TOKEN_PARAM]: old }, 'expired_token');
  });

  it("a token minted for another CallSid is refused (also for a live call's CallSid)", async () => {
    const a = await h.voiceWebhook({});
    const b = await h.voiceWebhook({});
    await expectRefused(b.callSid, { ...b.params, [STREAM_TOKEN_PARAM]: a.params[STREAM_TOKEN_PARAM]! }, 'bad_signature');
    await expectRefused(newCallSid(), a.params, 'bad_signature');
  });

  it('a token for a CallSid with no call row (never announced) is refused', async () => {
    const sid = newCallSid();
    await expectRefused(sid, { [STREAM_TOKEN_PARAM]: mintStreamToken(key(), sid, 'media') }, 'unknown_call');
  });

  it('a replayed token is refused while the first stream lives, and after the call ended its records stay as they were', async () => {
    const hook = await h.voiceWebhook({});
    const first = new FakeTwilioCaller({ serverUrl: h.url.replace('http', 'ws'), publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid: hook.callSid, params: hook.params });
    await first.connect();
    await first.waitForPrompt(10000, 300);
    await expectRefused(hook.callSid, hook.params, 'stream_taken');
    expect(first.open).toBe(true); // the real call is undisturbed
    await first.hangup();
    await first.waitFor(() => h.services.callRuntime.sessions.size === 0, 5000, 'session closed');
    const ended = await h.calls.get(hook.callSid);
    expect(ended!.outcome).not.toBeNull();
    await expectRefused(hook.callSid, hook.params, 'call_ended');
    expect(await h.calls.get(hook.callSid)).toEqual(ended);
  });

  it('a fresh token for an ended call is refused', async () => {
    const hook = await h.voiceWebhook({});
    await h.calls.recordStatus(hook.callSid, 'completed', 3, new Date());
    await expectRefused(hook.callSid, { ...hook.params, [STREAM_TOKEN_PARAM]: mintStreamToken(key(), hook.callSid, 'media') }, 'call_ended');
  });

  it('customParameters naming a file path or another tenant choose nothing: the call row decides', async () => {
    // Without a valid token: refused outright.
    await expectRefused(newCallSid(), { flow: '/etc/passwd', tenant: '2' }, 'no_token');
    // With a valid token: admitted, but the flow and tenant are the call row's.
    const hook = await h.voiceWebhook({});
    const loaded: string[] = [];
    const flows = h.services.callRuntime.deps.flows;
    const get = flows.get.bind(flows);
    flows.get = (ref) => (loaded.push(ref), get(ref));
    try {
      const c = new FakeTwilioCaller({
        serverUrl: h.url.replace('http', 'ws'), publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid: hook.callSid,
        params: { ...hook.params, flow: '../../../../etc/hostname', tenant: '2', from: '+19995550000' },
      });
      await c.connect();
      await c.waitForPrompt(10000, 300);
      expect(loaded).toEqual([h.config.defaultFlow]);
      const session = h.services.callRuntime.sessions.get(hook.callSid)!;
      expect(session.callSid).toBe(hook.callSid);
      await c.hangup();
    } finally {
      flows.get = get;
    }
  });
});
