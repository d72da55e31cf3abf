// Twilio's final status callback for a call whose session is gone settles the intake too, not only the call row;
// for a call a session may still hold (a recent heartbeat, perhaps on another instance) it waits one heartbeat first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, statusCallback, type Harness } from './harness.js';
import { createIntakeStore, type IntakeStore } from '../../src/intake/intakes-repo.js';
import { INTERRUPTED_REASON } from '../../src/intake/settle.js';
import { newCallSid } from '../fakes/twilio-caller.js';

const HEARTBEAT_MS = 400;

describe('the status callback settles the intake of a call whose session is gone', () => {
  let h: Harness;
  let store: IntakeStore;
  beforeAll(async () => {
    h = await startHarness({ deepgram: null, config: { callHeartbeatMs: HEARTBEAT_MS, interruptedAfterMs: 4 * HEARTBEAT_MS } });
    store = createIntakeStore(h.db.db);
  });
  afterAll(async () => h?.close());

  /** A call whose stream was claimed (its session last seen `seenAgoMs` ago) with a name and number committed. */
  async function callWithIntake(seenAgoMs: number): Promise<string> {
    const callSid = newCallSid();
    const hook = await h.voiceWebhook({ callSid });
    expect(hook.status).toBe(200);
    expect(await h.calls.claimStream(callSid, `MZ${callSid.slice(2)}`, new Date(Date.now() - seenAgoMs))).not.toBeNull();
    await store.slot(callSid, 'caller_name', 'Ann Lee', true);
    await store.slot(callSid, 'callback_phone', '+13125550142', true);
    return callSid;
  }

  it('no heartbeat for two ticks: the intake is settled partial/interrupted at once, the call keeps Twilio\u2019s status', async () => {
    const sid = await callWithIntake(10 * HEARTBEAT_MS);
    expect(await statusCallback(h, sid, 'completed', 33)).toBe(204);
    expect(await store.byCall(sid)).toMatchObject({ status: 'partial', outcome: 'interrupted', callerName: 'Ann Lee', callbackPhone: '+13125550142' });
    expect(await h.calls.get(sid)).toMatchObject({ status: 'completed', durationS: 33, outcome: 'abandoned', endReason: INTERRUPTED_REASON });
  });

  it('a recent heartbeat: settled one heartbeat later when no session beats again', async () => {
    const sid = await callWithIntake(0);
    expect(await statusCallback(h, sid, 'completed', 12)).toBe(204);
    expect(await store.byCall(sid)).toMatchObject({ status: 'partial', outcome: null });
    const deadline = Date.now() + HEARTBEAT_MS + 2_000 + 3_000;
    while ((await store.byCall(sid))!.outcome === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await store.byCall(sid)).toMatchObject({ status: 'partial', outcome: 'interrupted' });
  });

  it('a session still beating on another instance keeps the intake open, and settles it itself', async () => {
    const sid = await callWithIntake(0);
    expect(await statusCallback(h, sid, 'completed', 12)).toBe(204);
    // The other instance's heartbeat lands after the status, then its session ends the call properly.
    await new Promise((r) => setTimeout(r, 100));
    await h.calls.heartbeat([sid], new Date());
    await new Promise((r) => setTimeout(r, HEARTBEAT_MS + 2_000 + 500));
    expect(await store.byCall(sid)).toMatchObject({ status: 'partial', outcome: null });
    await store.end(sid, 'completed', { caller_name: 'Ann Lee' });
    expect(await store.byCall(sid)).toMatchObject({ status: 'complete', outcome: 'completed' });
  });

  it('a call that never had a stream, or is unknown, is left as Twilio reports it', async () => {
    const sid = newCallSid();
    await h.voiceWebhook({ callSid: sid });
    expect(await statusCallback(h, sid, 'no-answer', 0)).toBe(204);
    expect(await h.calls.get(sid)).toMatchObject({ status: 'no-answer', outcome: null, endReason: null });
    expect(await statusCallback(h, newCallSid(), 'completed', 1)).toBe(204);
  });
});
