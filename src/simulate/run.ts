// `hermes simulate`: a scripted caller talks to the engine through the same events a phone call produces. The caller
// answers by slot name (so scripts survive reordering), confirms read-backs that match what it meant, and corrects
// the ones that do not.
import type { Command, Outcome } from '../flows/commands.js';
import type { ConversationEvent } from '../flows/events.js';
import { createConversation, type LoadedFlow } from '../flows/index.js';
import type { Language } from '../primitives.js';
import type { Reasoner } from '../reasoning/types.js';
import { MemoryEffects, type RecordedEffect } from './effects.js';
import { checkExpect, expectedSlots, sameValue, type CallerScriptT } from './script.js';

export interface SimulationResult {
  transcript: { speaker: 'agent' | 'caller'; text: string }[];
  intake: Record<string, unknown>;
  outcome: Outcome;
  effects: RecordedEffect[];
  /** Failed expectations (empty when all hold or none were given). */
  failures: string[];
  /** Every read-back the flow put to the caller: the slot, the value read back, and whether the caller said yes. */
  readBacks: ReadBack[];
  /** Questions put for a slot that already held a value from earlier in the call (the caller had said it). */
  reasks: { slot: string; value: unknown }[];
  /** Every question put to the caller for a slot (not read-backs): the slot and how long the transcript was then. */
  questions: { slot: string; at: number }[];
  /** The language the agent spoke last (the call's language at the end). */
  language?: Language;
}

export interface ReadBack {
  slot: string;
  value: unknown;
  confirmed: boolean;
}

const filled = (v: unknown): boolean => v !== undefined && v !== null && v !== '';

const MAX_TURNS = 200;
/** The transcript's last line when the caller ran out of turns with the flow still waiting. */
export const STOPPED = '[simulation stopped: the flow was still waiting]';
/** YAML turns `yes`/`no` into booleans; a caller still says the words. */
const spoken = (v: unknown): string => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));

export async function simulate(flow: LoadedFlow, script: CallerScriptT, reasoner: Reasoner): Promise<SimulationResult> {
  const at = new Date(script.caller.at);
  const core = createConversation(
    flow,
    { callSid: 'SIMULATED', from: script.caller.from, to: script.caller.to ?? '', startedAt: at, channel: 'simulate', ...(script.caller.language ? { language: script.caller.language } : {}) },
    { reasoner, now: () => at },
  );
  const effects = new MemoryEffects({ conflicts: script.conflicts ?? [], failActions: script.fail_effects ?? [] });
  const transcript: SimulationResult['transcript'] = [];
  const expected = expectedSlots(script);
  const answers = script.answers ?? {};
  const pendingEvents = [...(script.events ?? [])];
  let asked = false;
  const times: Record<string, number> = {};
  /** The caller's answer for a slot: a list is said in turn, one item per question (the last one repeats). */
  const answer = (slot: string): string => {
    const a = answers[slot];
    if (a === undefined) return script.default ?? "I don't know";
    if (!Array.isArray(a)) return spoken(a);
    const i = times[slot] ?? 0;
    times[slot] = i + 1;
    return spoken(a[Math.min(i, a.length - 1)]);
  };
  let language = script.caller.language ?? 'en';
  const readBacks: ReadBack[] = [];
  const reasks: SimulationResult['reasks'] = [];
  const questions: SimulationResult['questions'] = [];

  const caller = async (text: string): Promise<Command[]> => {
    transcript.push({ speaker: 'caller', text });
    return core.handle({ type: 'utterance', text, alternatives: [{ text, confidence: 0.95 }], confidence: 0.95, final: true });
  };

  let cmds = await core.start();
  for (let turn = 0; turn < MAX_TURNS; turn++) {
    const queued: ConversationEvent[] = [];
    let listen: Extract<Command, { type: 'listen' }> | null = null;
    for (const c of cmds) {
      if (c.type === 'say') {
        transcript.push({ speaker: 'agent', text: c.text });
        language = c.language;
      }
      else if (c.type === 'generate') transcript.push({ speaker: 'agent', text: c.fallbackText });
      else if (c.type === 'effect') {
        const r = effects.run(c);
        queued.push({ type: 'effectResult', id: c.id, ok: r.ok, ...(r.data ? { data: r.data } : {}), ...(r.error ? { error: r.error } : {}) });
      } else if (c.type === 'transfer') {
        transcript.push({ speaker: 'agent', text: `[transfers the call to ${c.to} (${c.mode})]` });
        if (script.transfer_unanswered) queued.push({ type: 'transferResult', answered: false, reason: 'no answer' });
      } else if (c.type === 'listen') listen = c;
    }
    if (queued.length) {
      cmds = [];
      for (const ev of queued) cmds.push(...(await core.handle(ev)));
      continue;
    }
    if (core.done || !listen) break;
    const slot = listen.expect.slot ?? '';
    const purpose = listen.expect.purpose ?? 'answer';
    const evIndex = pendingEvents.findIndex((e) => e.at === slot);
    if (evIndex >= 0) {
      const ev = pendingEvents.splice(evIndex, 1)[0]!;
      if ('dtmf' in ev) {
        transcript.push({ speaker: 'caller', text: `[presses ${ev.dtmf}]` });
        cmds = [];
        for (const d of ev.dtmf) cmds.push(...(await core.handle({ type: 'dtmf', digit: d })));
      } else if ('silence_ms' in ev) {
        transcript.push({ speaker: 'caller', text: `[silence ${ev.silence_ms} ms]` });
        cmds = await core.handle({ type: 'silence', ms: ev.silence_ms });
      } else {
        transcript.push({ speaker: 'caller', text: '[hangs up]' });
        cmds = await core.handle({ type: 'hangup' });
      }
      continue; // the opening still answers the first question actually spoken to
    }
    // A question (not a read-back or a spelling request) for a slot that already holds what the caller said.
    if (purpose === 'answer' && slot) {
      questions.push({ slot, at: transcript.length });
      if (filled(core.slots()[slot])) reasks.push({ slot, value: core.slots()[slot] });
    }
    let text: string;
    if (purpose === 'confirm') {
      const want = expected[slot];
      const yes = language === 'es' ? 'sí' : 'yes';
      const confirmed = want === undefined || sameValue(listen.expect.pendingValue, want);
      readBacks.push({ slot, value: listen.expect.pendingValue, confirmed });
      text = confirmed ? yes : (script.corrections?.[slot] ?? 'no');
    } else if (purpose === 'spell') {
      const want = expected[slot];
      text = typeof want === 'string' ? want : answer(slot);
    } else if (!asked && script.opening !== undefined && !(slot in answers)) text = script.opening;
    else text = answer(slot);
    asked = true;
    cmds = await caller(text);
  }
  if (!core.done) transcript.push({ speaker: 'agent', text: STOPPED });
  const intake = core.slots();
  const outcome = core.outcome ?? 'abandoned';
  return { transcript, intake, outcome, effects: effects.recorded, failures: checkExpect(script, outcome, intake), readBacks, reasks, questions, language };
}
