// The bundled intake flow over ConversationRelay gives the same intake record as over Media Streams for the same
// caller: the caller script (flows/tests/pi-english-basic.yaml) is run through `hermes simulate` once to learn what
// the caller says at each turn; those utterances are then spoken over both channels of one HERMES server (fake
// Deepgram transcripts on Media Streams, `prompt` messages on ConversationRelay) to two numbers of one firm, one
// per channel, with the conversation clock pinned to the script's `caller.at` so relative dates agree, and effects
// answered by the simulator's effect world (no conflict in Clio) for both channels, as `hermes simulate` answered them.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.js';
import { percentiles, placeRelayCall } from './relay-harness.js';
import { createConversation, loadFlow } from '../../src/flows/index.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { readScript, type CallerScriptT } from '../../src/simulate/script.js';
import { simulate } from '../../src/simulate/run.js';
import { createIntakeStore } from '../../src/intake/intakes-repo.js';
import { MemoryEffects } from '../../src/simulate/effects.js';
import type { AgentTurnMeasure } from '../../src/call/ports.js';

const FLOW = resolve('flows/intake.yaml');
const MEDIA_NUMBER = '+13125550100';
const RELAY_NUMBER = '+13125550199';

describe('the intake flow on ConversationRelay and on Media Streams', () => {
  let h: Harness;
  let script: CallerScriptT;
  let said: string[] = [];
  const measures: AgentTurnMeasure[] = [];
  const effects = new MemoryEffects();

  beforeAll(async () => {
    script = await readScript('flows/tests/pi-english-basic.yaml');
    const reasoner = createOfflineReasoner();
    const sim = await simulate(await loadFlow(FLOW), script, reasoner);
    expect(sim.failures).toEqual([]);
    said = sim.transcript.filter((t) => t.speaker === 'caller').map((t) => t.text);
    expect(said.every((t) => !t.startsWith('['))).toBe(true); // spoken answers only: no key presses or hang-ups
    const at = new Date(script.caller.at);
    h = await startHarness({
      deepgram: { script: (ctx) => said[ctx.utteranceIndex] },
      config: { defaultFlow: FLOW, relaySpeechMsPerChar: 2 },
      services: {
        conversation: (flow, facts) => createConversation(flow, { ...facts, startedAt: at }, { reasoner, now: () => at }),
        observer: { agentTurn: (m) => measures.push(m) },
        effects: { run: async (c) => effects.run(c) },
      },
    });
    const [row] = (await h.db.db('tenants').insert({ name: 'Alpha Law', slug: 'alpha-relay' }).returning('id')) as ({ id: number } | number)[];
    const tenantId = typeof row === 'object' ? row.id : row!;
    await h.db.db('phone_numbers').insert([
      { e164: MEDIA_NUMBER, tenant_id: tenantId, flow: FLOW },
      { e164: RELAY_NUMBER, tenant_id: tenantId, flow: FLOW, channel: 'conversation-relay' },
    ]);
  }, 60_000);
  afterAll(async () => {
    await h?.close();
  }, 30_000);

  /** The stored intake without what differs per call by nature (ids, call, times). */
  async function intakeOf(callSid: string): Promise<Record<string, unknown>> {
    const intake = await createIntakeStore(h.db.db).byCall(callSid);
    expect(intake).toBeTruthy();
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(intake!)) if (!/^(id|callSid|.*At|createdAt|updatedAt)$/.test(k)) out[k] = v;
    return out;
  }

  it('completes the intake over both channels with the same record; first text within a few ms of the final prompt', async () => {
    // Media Streams: the fake Deepgram hears utterance i when the caller speaks for the i-th time.
    const media = await h.placeCall({ from: script.caller.from, to: MEDIA_NUMBER, speed: 4 });
    for (let i = 0; i < said.length; i++) {
      await media.waitForPrompt(15000, 250);
      await media.speak(400);
      await media.silence(600);
    }
    await media.waitFor(() => media.closedAt !== null, 30000, 'media call ended');
    await media.waitFor(() => !h.services.callRuntime.sessions.has(media.callSid), 5000, 'media session released');

    // ConversationRelay: the same utterances as final prompts (partials first, which HERMES must ignore).
    const relay = await placeRelayCall(h, { from: script.caller.from, to: RELAY_NUMBER });
    await relay.waitForCycle(0, 15000);
    for (let i = 0; i < said.length; i++) {
      // Answer once HERMES has finished its reply (every line of it, effects included), as a caller would.
      await relay.waitForQuiet(150, 15000);
      const replied = relay.cycles.filter((c) => c.closed).length;
      relay.prompt(said[i]!, { partials: i % 3 === 0 });
      await relay.waitForCycle(replied, 15000);
    }
    await relay.waitFor(() => relay.ends.length === 1 && relay.actionTwiml !== null, 20000, 'relay call ended');
    await relay.waitFor(() => !h.services.callRuntime.sessions.has(relay.callSid), 5000, 'relay session released');

    const viaMedia = await intakeOf(media.callSid);
    const viaRelay = await intakeOf(relay.callSid);
    expect(viaRelay).toEqual(viaMedia);
    expect(viaRelay).toMatchObject({ outcome: 'completed', callerName: 'Maria Lopez', callbackPhone: '+13125551234', practiceArea: 'personal_injury', incidentDate: '2026-11-20' });
    // Both sessions hand the recorder the party slot's parties with its slot command.
    expect(viaMedia.parties).toMatchObject({ opposing_party: [{ name: 'Acme Trucking', phrase: 'Acme Trucking' }], insurance_company: [{ name: 'State Farm', phrase: 'State Farm' }] });
    expect(JSON.parse(relay.ends[0]!.handoffData)).toMatchObject({ reason: 'end', outcome: 'completed' });
    // The same conversation: the same number of turns on each side.
    const [mt, rt] = [await h.calls.turns(media.callSid), await h.calls.turns(relay.callSid)];
    expect(rt.filter((t) => t.speaker === 'caller').map((t) => t.text)).toEqual(said);
    expect(mt.filter((t) => t.speaker === 'caller').map((t) => t.text)).toEqual(said);

    const relayTurns = measures.filter((m) => m.callSid === relay.callSid && !m.greeting).map((m) => m.firstFrameMs);
    const mediaTurns = measures.filter((m) => m.callSid === media.callSid && !m.greeting).map((m) => m.firstFrameMs);
    const r = percentiles(relayTurns);
    const m = percentiles(mediaTurns);
    console.log(`final prompt -> first text token (relay, offline reasoning): p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms over ${r.n} turns [${relayTurns.map((x) => x.toFixed(0)).join(' ')}]; ` +
      `Media Streams end of turn -> first frame: p50 ${m.p50.toFixed(1)} ms, p95 ${m.p95.toFixed(1)} ms over ${m.n}`);
    expect(r.n).toBe(said.length);
    expect(r.p95).toBeLessThan(250);
  }, 120_000);

  it('a caller who says "español" gets a `language` switch to es-US before the first Spanish line', async () => {
    const relay = await placeRelayCall(h, { from: script.caller.from, to: RELAY_NUMBER });
    await relay.waitForCycle(1, 15000);
    await relay.waitForQuiet(150, 15000);
    const before = relay.cycles.filter((c) => c.closed).length;
    relay.prompt('español', { lang: 'en-US' });
    const reply = await relay.waitForCycle(before, 15000);
    expect(relay.languages).toEqual([{ ttsLanguage: 'es-US', transcriptionLanguage: 'es-US' }]);
    expect(reply.lang).toBe('es-US');
    expect(relay.cycles.slice(0, before).every((c) => c.lang === 'en-US')).toBe(true);
    relay.hangup();
    await relay.waitFor(() => !h.services.callRuntime.sessions.has(relay.callSid), 5000, 'relay session released');
    expect((await h.calls.get(relay.callSid))?.outcome).toBe('abandoned');
  }, 40_000);
});
