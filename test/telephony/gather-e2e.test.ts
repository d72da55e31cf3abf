// The bundled intake flow on the <Gather> channel gives the same intake record as on Media Streams for the same
// caller (the caller script flows/tests/pi-english-basic.yaml, run through `hermes simulate` to learn what the caller
// says at each turn, as the ConversationRelay parity test does): one TwiML round trip per turn, signed like Twilio,
// the conversation kept on the call row between webhooks. Then the fallback: with the fake Deepgram killed before the
// call starts, a Media Streams call goes on over <Gather>, the caller completes the intake, the fallback is counted,
// and the next call is answered on <Gather> at once.
import { resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDb } from '../helpers/db.js';
import { ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL, startHarness, statusCallback, type Harness } from './harness.js';
import { FakeGatherCaller, type GatherAnswer, type GatherRecord } from '../fakes/twilio-gather.js';
import { newCallSid, signedForm } from '../fakes/twilio-caller.js';
import { createConversation, loadFlow, restoreConversation } from '../../src/flows/index.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { readScript, type CallerScriptT } from '../../src/simulate/script.js';
import { simulate } from '../../src/simulate/run.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { MemoryEffects } from '../../src/simulate/effects.js';
import type { FlowRegistry } from '../../src/call/runtime.js';

const FLOW = resolve('flows/intake.yaml');
const MEDIA_NUMBER = '+13125550100';
const GATHER_NUMBER = '+13125550177';

describeEachDb('the intake flow on <Gather> and on Media Streams (%s)', (kind) => {
  let h: Harness;
  let script: CallerScriptT;
  let said: string[] = [];
  const effects = new MemoryEffects();

  beforeAll(async () => {
    script = await readScript('flows/tests/pi-english-basic.yaml');
    const reasoner = createOfflineReasoner();
    const sim = await simulate(await loadFlow(FLOW), script, reasoner);
    expect(sim.failures).toEqual([]);
    said = sim.transcript.filter((t) => t.speaker === 'caller').map((t) => t.text);
    const at = new Date(script.caller.at);
    h = await startHarness({
      db: kind,
      deepgram: { script: (ctx) => said[ctx.utteranceIndex] },
      config: { defaultFlow: FLOW },
      services: {
        conversation: (flow, facts) => createConversation(flow, { ...facts, startedAt: at }, { reasoner, now: () => at }),
        effects: { run: async (c) => effects.run(c) },
      },
    });
    // A conversation of the test's own (its clock pinned) has no restore in services; <Gather> needs one.
    (h.services.flows as FlowRegistry).restore = (flow, facts, snap) => restoreConversation(flow, { ...facts, startedAt: at }, { reasoner, now: () => at }, snap);
    const [row] = (await h.db.db('tenants').insert({ name: 'Alpha Law', slug: 'alpha-gather' }).returning('id')) as ({ id: number } | number)[];
    const tenantId = typeof row === 'object' ? row.id : row!;
    await h.db.db('phone_numbers').insert([
      { e164: MEDIA_NUMBER, tenant_id: tenantId, flow: FLOW },
      { e164: GATHER_NUMBER, tenant_id: tenantId, flow: FLOW, channel: 'gather' },
    ]);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 30_000);

  async function intakeOf(callSid: string): Promise<Record<string, unknown>> {
    const intake = await createIntakeStore(h.db.db).byCall(callSid);
    expect(intake).toBeTruthy();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(intake!)) if (!/^(id|callSid|.*At|createdAt|updatedAt)$/.test(k)) out[k] = v;
    return out;
  }

  /** A call to `to` run by the fake Twilio: the signed voice webhook, then every TwiML it is answered with. */
  async function gatherCall(to: string, answer: (n: number, g: GatherRecord) => GatherAnswer): Promise<{ caller: FakeGatherCaller; voiceTwiml: string }> {
    const callSid = newCallSid();
    const caller = new FakeGatherCaller(callSid, {
      publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, accountSid: ACCOUNT_SID, from: script.caller.from, to, answer, serverUrl: h.url.replace('http', 'ws'),
      post: async (path, headers, body) => {
        const res = await h.app.inject({ method: 'POST', url: path, headers, payload: body });
        return { status: res.statusCode, body: res.body };
      },
      // Media is fetched over real HTTP from the listening server, unsigned, as Twilio fetches a <Play>.
      get: async (path) => {
        const res = await fetch(`${h.url}${path}`);
        return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: Buffer.from(await res.arrayBuffer()) };
      },
    });
    const hook = await h.voiceWebhook({ callSid, from: script.caller.from, to });
    expect(hook.status).toBe(200);
    void caller.run(hook.twiml);
    return { caller, voiceTwiml: hook.twiml };
  }
  const speak = (n: number): GatherAnswer => (n < said.length ? { speech: said[n]! } : null);

  let viaMedia: Record<string, unknown>;

  it('completes the intake over <Gather> with the same record as over Media Streams; prompts are <Play>ed from signed URLs', async () => {
    const media = await h.placeCall({ from: script.caller.from, to: MEDIA_NUMBER, speed: 4 });
    for (let i = 0; i < said.length; i++) {
      await media.waitForPrompt(15000, 250);
      await media.speak(400);
      await media.silence(600);
    }
    await media.waitFor(() => media.closedAt !== null, 30000, 'media call ended');
    await media.waitFor(() => !h.services.callRuntime.sessions.has(media.callSid), 5000, 'media session released');
    viaMedia = await intakeOf(media.callSid);

    const { caller, voiceTwiml } = await gatherCall(GATHER_NUMBER, speak);
    expect(voiceTwiml).toContain('<Gather input="speech dtmf" action="https://hermes.example.com/twilio/gather?turn=1"');
    expect(voiceTwiml).toContain('actionOnEmptyResult="true"');
    await caller.done(60_000);
    const viaGather = await intakeOf(caller.callSid);
    expect(viaGather).toEqual(viaMedia);
    expect(viaGather).toMatchObject({ outcome: 'completed', callerName: 'Maria Lopez', callbackPhone: '+13125551234', practiceArea: 'personal_injury', incidentDate: '2026-11-20' });
    // One <Gather> per answer, every answer used, then the goodbye and <Hangup/>.
    expect(caller.gathers.slice(0, said.length).every((g) => g.answer !== null)).toBe(true);
    expect(caller.gathers.length).toBe(said.length);
    const [mt, gt] = [await h.calls.turns(media.callSid), await h.calls.turns(caller.callSid)];
    expect(gt.filter((t) => t.speaker === 'caller').map((t) => t.text)).toEqual(said);
    expect(gt.filter((t) => t.speaker === 'agent').length).toBe(mt.filter((t) => t.speaker === 'agent').length);
    // Cached prompts are <Play>ed as WAV fetched from a signed URL; a line not in the cache is <Say>.
    const played = caller.heard.filter((x) => x.verb === 'Play');
    expect(played.length).toBeGreaterThan(0);
    expect(played.every((p) => p.audio!.subarray(0, 4).toString('ascii') === 'RIFF' && p.audio!.length > 1000)).toBe(true);
    const call = await h.calls.get(caller.callSid);
    expect(call?.outcome).toBe('completed');
    const rt = caller.gathers.map((g) => g.roundTripMs!).sort((a, b) => a - b);
    console.log(`<Gather action> -> TwiML inside HERMES (offline reasoning, ${kind}): p50 ${rt[Math.floor(rt.length / 2)]!.toFixed(1)} ms, max ${rt.at(-1)!.toFixed(1)} ms over ${rt.length} turns`);
  }, 120_000);

  it('a caller who says nothing hears the flow reprompt on the next <Gather>; hanging up ends the call as on Media Streams; unsigned requests are refused', async () => {
    let caller: FakeGatherCaller | null = null;
    const started = await gatherCall(GATHER_NUMBER, (n) => {
      if (n === 1) caller!.hangUp(); // the caller puts the phone down while the reprompt plays
      return null;
    });
    caller = started.caller;
    await caller.done(30_000);
    expect(caller.gathers.length).toBe(2);
    // The timed-out <Gather> was posted empty and answered with a further <Gather> (the flow's silence handling).
    expect(caller.requests).toEqual(['/twilio/gather?turn=1']);
    expect(caller.gathers[1]!.heard.length).toBeGreaterThan(0);
    // The same action again (a proxy retrying a POST whose answer was lost) gets the same answer; the flow hears it once.
    const turnsBefore = (await h.calls.turns(caller.callSid)).length;
    const replay = signedForm(AUTH_TOKEN, `${PUBLIC_URL}/twilio/gather?turn=1`, { CallSid: caller.callSid, AccountSid: ACCOUNT_SID, CallStatus: 'in-progress', SpeechResult: 'Maria Lopez', Confidence: '0.9' });
    const again = await h.app.inject({ method: 'POST', url: '/twilio/gather?turn=1', headers: replay.headers, payload: replay.body });
    expect(again.body).toContain('action="https://hermes.example.com/twilio/gather?turn=2"');
    expect(again.body).toContain(caller.gathers[1]!.heard[0]!.verb === 'Say' ? caller.gathers[1]!.heard[0]!.text.slice(0, 20) : '<Play>');
    expect((await h.calls.turns(caller.callSid)).length).toBe(turnsBefore);
    expect(h.services.callRuntime.liveCalls()).toContain(caller.callSid); // heartbeated between webhooks
    expect(await statusCallback(h, caller.callSid, 'completed', 20)).toBe(204);
    expect((await h.calls.get(caller.callSid))?.outcome).toBe('abandoned');
    expect(h.services.callRuntime.liveCalls()).not.toContain(caller.callSid);

    const unsigned = await h.app.inject({ method: 'POST', url: '/twilio/gather', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `CallSid=${caller.callSid}&SpeechResult=hello` });
    expect(unsigned.statusCode).toBe(403);
    const forged = signedForm('not-the-token', `${PUBLIC_URL}/twilio/gather`, { CallSid: caller.callSid, SpeechResult: 'hello' });
    expect((await h.app.inject({ method: 'POST', url: '/twilio/gather', headers: forged.headers, payload: forged.body })).statusCode).toBe(403);
    const play = caller.heard.find((x) => x.verb === 'Play')!;
    const url = new URL(play.text);
    const tampered = `${url.pathname}?p=${url.searchParams.get('p')!.slice(0, -2)}AA&s=${url.searchParams.get('s')}`;
    expect((await fetch(`${h.url}${tampered}`)).status).toBe(403);
  }, 60_000);

  it('a caller who says "español" is listened to and answered in Spanish from the next <Gather> on', async () => {
    const { caller } = await gatherCall(GATHER_NUMBER, (n) => {
      if (n === 0) return { speech: 'español' };
      caller.hangUp();
      return null;
    });
    await caller.done(30_000);
    expect(caller.gathers[0]!.attrs.language).toBe('en-US');
    expect(caller.gathers[1]!.attrs.language).toBe('es-US');
    const spanishSays = caller.gathers[1]!.heard.filter((x) => x.verb === 'Say');
    expect(spanishSays.every((x) => x.language === 'es-US')).toBe(true);
    expect(await statusCallback(h, caller.callSid, 'completed', 12)).toBe(204);
  }, 40_000);

  it('with the fake Deepgram killed before the call starts, the Media Streams call goes on over <Gather>, the intake completes and the fallback is counted', async () => {
    await h.deepgram!.close();
    const before = await fallbacks();
    const { caller, voiceTwiml } = await gatherCall(MEDIA_NUMBER, speak);
    expect(voiceTwiml).toContain('<Connect action="https://hermes.example.com/twilio/after-stream"');
    await caller.done(90_000);
    expect(caller.streams.length).toBe(1);
    expect(caller.requests).toContain('/twilio/after-stream');
    expect(await intakeOf(caller.callSid)).toEqual(viaMedia);
    expect(caller.heard.some((x) => /sorry/i.test(x.text) && x.verb === 'Say')).toBe(false); // no apology-and-hang-up
    expect((await fallbacks()).stt + (await fallbacks()).tts).toBeGreaterThan(before.stt + before.tts);

    // While the provider was just found down, the next call is answered on <Gather> at once (no failing connect).
    const next = await gatherCall(MEDIA_NUMBER, () => null);
    expect(next.voiceTwiml).toContain('<Gather ');
    expect((await fallbacks()).provider_down).toBe(before.provider_down + 1);
    next.caller.hangUp();
  }, 120_000);

  async function fallbacks(): Promise<Record<'stt' | 'tts' | 'provider_down', number>> {
    const out = { stt: 0, tts: 0, provider_down: 0 };
    for (const v of (await h.metrics.gatherFallbacks.get()).values) out[v.labels.reason as keyof typeof out] = v.value;
    return out;
  }
});
