// Deepgram dies under one call: that caller hears the apology (cached, no provider needed) and is transferred to the
// firm within 2 s, while 20 other calls in progress finish normally and the process stays up. Then the whole fake
// Deepgram is killed: every live call apologises and falls back, and the server keeps answering.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../telephony/harness.js';
import type { FakeTwilioCaller } from '../fakes/twilio-caller.js';

let h: Harness;
const scripts = new Map<string, string[]>();

beforeAll(async () => {
  h = await startHarness({ deepgram: { script: (ctx) => scripts.get(ctx.key)?.[ctx.utteranceIndex] } });
});
afterAll(async () => {
  await h.close();
});

async function finishCall(c: FakeTwilioCaller): Promise<void> {
  await c.speak(600);
  await c.silence(700);
  await c.waitForPrompt(10000, 400);
  c.dtmf('1');
  await c.waitFor(() => c.closedAt !== null, 15000, 'hang-up');
}

describe('speech provider failure mid-call', () => {
  it('the affected caller hears the apology and is transferred within 2 s; 20 other calls carry on', async () => {
    const others = await Promise.all(Array.from({ length: 20 }, () => h.placeCall({ speed: 2 })));
    const target = await h.placeCall({ speed: 2 });
    for (const c of [...others, target]) scripts.set(c.callSid, ['Jane Doe']);
    await Promise.all([...others, target].map((c) => c.waitForPrompt(20000, 400)));

    const dropped = h.deepgram!.dropNextMidUtterance(200);
    void target.speak(1000);
    await dropped;
    const droppedAt = performance.now();
    h.deepgram!.refuseConnections(true, 503); // the provider is gone for new connections
    const framesBefore = target.frames.length;
    try {
      await target.waitFor(() => target.frames.length > framesBefore, 4000, 'apology audio');
    } catch (err) {
      h.deepgram!.refuseConnections(false);
      throw err;
    }
    const apologyAt = target.frames[framesBefore]!.at;
    expect(apologyAt - droppedAt).toBeLessThan(2000);
    // the 20 others were mid-call (listening, sockets open) throughout; now they finish their calls
    const othersDone = Promise.all(others.map((c) => finishCall(c)));
    const transfer = await h.rest.waitForUpdate(target.callSid, 8000);
    expect(transfer.params.Twiml).toContain('<Dial');
    expect(transfer.params.Twiml).toContain('+13125550100');

    // the other calls finished while the provider refused new connections (their own sockets stayed up)
    await othersDone;
    h.deepgram!.refuseConnections(false);
    for (const c of others) {
      const turns = await h.calls.turns(c.callSid);
      expect(turns.filter((t) => t.speaker === 'caller').map((t) => t.text)).toEqual(['Jane Doe', '(pressed 1)']);
      expect((await h.rest.waitForUpdate(c.callSid)).params.Status).toBe('completed');
    }
    await target.waitFor(() => !h.services.callRuntime.sessions.has(target.callSid), 5000, 'session released');
    const targetCall = await h.calls.get(target.callSid);
    expect(targetCall?.outcome).toBe('transferred');
    expect((await h.metrics.providerErrors.get()).values.some((v) => v.labels.provider === 'stt' && v.labels.kind === 'failed')).toBe(true);
  });

  it('killing the fake Deepgram outright: every live call apologises and falls back, the server keeps answering', async () => {
    const calls = await Promise.all(Array.from({ length: 5 }, () => h.placeCall({ speed: 2 })));
    await Promise.all(calls.map((c) => c.waitForPrompt(20000, 400)));
    const marks = calls.map((c) => c.frames.length);
    const killedAt = performance.now();
    await h.deepgram!.kill();
    await Promise.all(calls.map((c, i) => c.waitFor(() => c.frames.length > marks[i]!, 4000, 'apology')));
    for (const [i, c] of calls.entries()) expect(c.frames[marks[i]!]!.at - killedAt).toBeLessThan(2000);
    await Promise.all(calls.map((c) => h.rest.waitForUpdate(c.callSid, 8000)));
    expect((await h.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    const hook = await h.voiceWebhook({});
    expect(hook.status).toBe(200);
  });
});
