// A call whose media stream ends without the call ending: over real sockets (fake Twilio running HERMES's TwiML,
// the real app, the fake Deepgram), the <Connect action> request gets a new <Connect><Stream> with a fresh token,
// the new stream continues the conversation at the question it was at (after the line about the drop), and the old
// token no longer opens a stream. A call that cannot be resumed gets the flow's fallback; a draining instance takes
// no new call and hands its live ones over.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, startHarness, type Harness } from './harness.js';
import { FakeTwilioVoice } from '../fakes/twilio-voice.js';
import { FakeTwilioCaller, newCallSid, signedForm } from '../fakes/twilio-caller.js';
import { drainCalls } from '../../src/call/drain.js';
import { silentLogger } from '../../src/observability/logger.js';

describeEachDb('calls that lose their stream (%s)', (db) => {
  let h: Harness;
  const scripts = new Map<string, string[]>();

  beforeAll(async () => {
    h = await startHarness({ db, deepgram: { script: (ctx) => scripts.get(ctx.key)?.[ctx.utteranceIndex] } });
  });
  afterAll(async () => {
    await h.close();
  });

  const post = async (path: string, headers: Record<string, string>, body: string) => {
    const res = await h.app.inject({ method: 'POST', url: path, headers, payload: body });
    return { status: res.statusCode, body: res.body };
  };
  const form = (path: string, params: Record<string, string>) => {
    const f = signedForm(AUTH_TOKEN, `${PUBLIC_URL}${path}`, params);
    return post(path, f.headers, f.body);
  };
  const callParams = (callSid: string) => ({ CallSid: callSid, AccountSid: ACCOUNT_SID, From: '+13125550123', To: '+13125550100', CallStatus: 'in-progress', Direction: 'inbound' });

  async function incoming(): Promise<FakeTwilioVoice> {
    const callSid = newCallSid();
    const voice = new FakeTwilioVoice(callSid, { publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID, post, serverUrl: h.url.replace('http', 'ws'), attorneys: {}, from: '+13125550123', to: '+13125550100' });
    const res = await form('/twilio/voice', { ...callParams(callSid), CallStatus: 'ringing' });
    expect(res.status).toBe(200);
    await voice.run(res.body);
    return voice;
  }

  it('a dropped stream is carried on by a new one: the caller hears that the line dropped, then the pending question', { timeout: 60_000 }, async () => {
    const voice = await incoming();
    scripts.set(voice.callSid, ['Jane Doe']);
    const first = voice.streams[0]!;
    await first.waitForPrompt(15_000, 400);
    await first.speak(800);
    await first.silence(800);
    const before = first.frames.length;
    await first.waitFor(() => first.frames.length > before, 8000, 'area question');
    await first.waitForPrompt(8000, 400);
    const firstParams = { ...(await h.calls.get(voice.callSid)) };
    expect(firstParams.status).toBe('in-progress');

    await first.close(); // no stop: the connection dropped, the call goes on at Twilio
    await first.waitFor(() => voice.streams.length === 2, 10_000, 'a new stream');
    const second = voice.streams[1]!;
    await second.waitForPrompt(15_000, 400);
    expect(voice.requests).toEqual(['/twilio/after-stream']);
    const call = await h.db.db('calls').where({ call_sid: voice.callSid }).first('resumes', 'stream_sid', 'outcome');
    expect(call).toMatchObject({ resumes: 1, stream_sid: second.streamSid, outcome: null });
    // A line's turn is stored once it has played (Twilio's mark), and cached prompts arrive ahead of playback: wait
    // for the question after the cut-off line to be on record.
    const CUT = "Sorry, we got cut off. Let's pick up where we left off.";
    const agentTurns = async () => (await h.calls.turns(voice.callSid)).filter((t) => t.speaker === 'agent').map((t) => t.text);
    let turns = await agentTurns();
    for (const until = Date.now() + 10_000; Date.now() < until && !(turns.includes(CUT) && turns.length > turns.indexOf(CUT) + 1); turns = await agentTurns()) await new Promise((r) => setTimeout(r, 100));
    const cut = turns.indexOf(CUT);
    expect(cut).toBeGreaterThan(0);
    expect(turns[cut + 1]).toMatch(/^Press 1 for family/);
    // No greeting again: the new stream goes on from the snapshot.
    expect(turns.filter((t) => t.startsWith('Hello from Test Law'))).toHaveLength(1);

    // The first stream's token (still unexpired) opens nothing now.
    const replay = new FakeTwilioCaller({ serverUrl: h.url.replace('http', 'ws'), publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid: voice.callSid, params: first['o'].params });
    await replay.connect();
    await replay.waitFor(() => replay.closedAt !== null, 5000, 'replayed token refused');
    expect(replay.closeCode).toBe(1008);
    expect(replay.frames).toHaveLength(0);

    second.dtmf('1');
    await second.waitFor(() => voice.ended, 15_000, 'the call to end');
    const intake = await h.db.db('intakes').where({ call_sid: voice.callSid }).first('outcome', 'slots');
    expect(intake.outcome).toBe('completed');
    const slots = typeof intake.slots === 'string' ? JSON.parse(intake.slots) : intake.slots;
    expect(slots).toMatchObject({ caller_name: 'Jane Doe', area: 'family' });
  });

  it('a call that cannot be resumed gets the flow fallback (apology, the firm\'s main line), never a bare hang-up', async () => {
    // Announced but its stream never ran a turn: no snapshot to carry on from.
    const callSid = newCallSid();
    expect((await form('/twilio/voice', { ...callParams(callSid), CallStatus: 'ringing' })).status).toBe(200);
    const res = await form('/twilio/after-stream', callParams(callSid));
    expect(res.status).toBe(200);
    expect(res.body).toContain("<Say language=\"en-US\">I'm sorry, I'm having technical trouble on my end.</Say>");
    expect(res.body).toMatch(/<Dial[^>]*action="https:\/\/hermes\.example\.com\/twilio\/dial-result\?to=%2B13125550100"[^>]*><Number>\+13125550100<\/Number><\/Dial>/);
    // A call that is not ours, or one Twilio reports over, just ends.
    expect((await form('/twilio/after-stream', callParams(newCallSid()))).body).toContain('<Hangup/>');
    expect((await form('/twilio/after-stream', { ...callParams(callSid), CallStatus: 'completed' })).body).toContain('<Hangup/>');
  });

  it('a draining instance answers 503 (readiness, new calls, new streams) and hands its live call over', { timeout: 30_000 }, async () => {
    const voice = await incoming();
    const s = voice.streams[0]!;
    await s.waitForPrompt(15_000, 400);
    const runtime = h.services.callRuntime;
    const drained = drainCalls(runtime, { graceMs: 300, log: silentLogger(), pollMs: 20 });
    try {
      expect((await h.app.inject({ method: 'GET', url: '/ready' })).statusCode).toBe(503);
      const refused = await form('/twilio/voice', { ...callParams(newCallSid()), CallStatus: 'ringing' });
      expect(refused.status).toBe(503);
      const r = await drained;
      expect(r, JSON.stringify(r)).toMatchObject({ finished: 0, handedOver: 1 });
      await s.waitFor(() => s.closedAt !== null, 5000, 'stream closed by the draining instance');
      // The call is kept for the instance Twilio's <Connect action> reaches: live, with its snapshot.
      const row = await h.db.db('calls').where({ call_sid: voice.callSid }).first('status', 'outcome', 'snapshot');
      expect(row).toMatchObject({ status: 'in-progress', outcome: null });
      expect(JSON.parse(row.snapshot)).toMatchObject({ v: 1, language: 'en', pending: { slot: 'caller_name' } });
      // This instance refuses the new stream (nginx would pass it on); with nowhere else to go the call gets the fallback.
      await s.waitFor(() => voice.ended || voice.streamFailures.length > 0, 10_000, 'the new stream refused');
      expect(voice.streamFailures[0]).toMatch(/503/);
    } finally {
      runtime.draining = false;
    }
  });
});
