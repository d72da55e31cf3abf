// Barge-in over real sockets: the fake caller talks over a long greeting; the fake Deepgram hears it from the audio
// energy and sends interim words; HERMES must clear Twilio's buffer at once, send nothing more of the old reply, and
// store the greeting as interrupted with only what the caller heard. A backchannel ("mhm") must not interrupt.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../telephony/harness.js';

let h: Harness;

/**
 * Twilio plays what it was sent at real time, in order: the frames played by time `t` and when playback ends. Fixed
 * prompts arrive well ahead of playback (large messages), so arrival is not hearing.
 */
function playout(frames: { at: number }[], until: number): { playedByUntil: number; endsAt: number } {
  let end = 0;
  let played = 0;
  for (const f of frames) {
    if (f.at > until) break;
    end = Math.max(end, f.at) + 20; // this frame plays from max(arrival, end of the one before) for 20 ms
    if (end <= until) played++;
  }
  return { playedByUntil: played, endsAt: end };
}
const scripts = new Map<string, string[]>();

beforeAll(async () => {
  // 40 ms of audio per character: the greeting runs about 7 s, long enough to talk over.
  h = await startHarness({ deepgram: { script: (ctx) => scripts.get(ctx.key)?.[ctx.utteranceIndex], speak: { msPerChar: 40 } } });
});
afterAll(async () => {
  await h.close();
});

describe('barge-in on a live call', () => {
  it('talking over a long prompt clears it at once, sends no more of it, and stores it as interrupted with the heard text', async () => {
    const caller = await h.placeCall();
    scripts.set(caller.callSid, ['wait I have a question about my case']);
    await caller.waitFor(() => playout(caller.frames, performance.now()).playedByUntil >= 75, 8000, '1.5 s of greeting heard');
    const speakStart = performance.now();
    const talking = caller.speak(1500).then(() => caller.silence(800));
    await caller.waitFor(() => caller.clears.length > 0, 3000, 'clear');
    const clearAt = caller.clears[0]!;
    // the fake recognises words after 250 ms of speech (its interim cadence); the clear follows within 300 ms of that
    expect(clearAt - speakStart).toBeLessThan(250 + 300);
    // what the caller had heard when the clear came (the rest of what was sent ahead was flushed unplayed)
    const heardAtClear = playout(caller.frames, clearAt).playedByUntil;
    await new Promise((r) => setTimeout(r, 1000));
    // nothing of the old reply after the clear (the caller is still talking, so nothing new either)
    expect(caller.frames.filter((f) => f.at > clearAt && f.at < clearAt + 1000).length).toBe(0);
    expect(heardAtClear).toBeLessThan(6800 / 20);
    await talking;
    // the caller's words reach the flow, which answers
    await caller.waitFor(() => caller.frames.some((f) => f.at > clearAt + 1000), 8000, 'reply after the interruption');
    await caller.hangup();
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session closed');
    const turns = await h.calls.turns(caller.callSid);
    const greeting = turns.find((t) => t.text.startsWith('Hello from Test Law'))!;
    expect(greeting.interrupted).toBe(true);
    expect(greeting.heardText).toBe('Hello from Test Law.');
    const question = turns.find((t) => t.text.startsWith('May I have your full name'));
    expect(question).toMatchObject({ interrupted: true, heardText: '' });
    expect(turns.find((t) => t.speaker === 'caller')?.text).toBe('wait I have a question about my case');
    expect((await h.metrics.bargeIns.get()).values[0]!.value).toBeGreaterThanOrEqual(1);
  });

  it('"mhm" during a prompt does not interrupt it', async () => {
    const caller = await h.placeCall();
    scripts.set(caller.callSid, ['mhm']);
    await caller.waitFor(() => playout(caller.frames, performance.now()).playedByUntil >= 50, 8000, '1 s of greeting heard');
    const t = performance.now();
    await caller.speak(400);
    await caller.silence(1200);
    expect(caller.clears.length).toBe(0);
    // the greeting kept playing through and after the backchannel (it was sent ahead and never cleared)
    expect(playout(caller.frames, performance.now()).endsAt).toBeGreaterThan(t + 1000 + 400);
    await caller.hangup();
    await caller.waitFor(() => !h.services.callRuntime.sessions.has(caller.callSid), 5000, 'session closed');
    const turns = await h.calls.turns(caller.callSid);
    expect(turns.some((t) => t.speaker === 'caller')).toBe(false);
  });
});
