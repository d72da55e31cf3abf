// Drives one conversation through the real flow engine the way the call path does, but with a scripted caller
// (the caller scripts of flows/tests): the call row first, each turn and slot written as it happens through the
// records side (calls repo, IntakeRecorder), effects through a real EffectRunner, the intake settled at the end.
// `stopAfterTurns` stops mid-call without hanging up (what a killed process leaves behind).
import type { Command } from '../../src/flows/commands.js';
import type { ConversationEvent } from '../../src/flows/events.js';
import { createConversation, type LoadedFlow } from '../../src/flows/index.js';
import { createCallsRepo } from '../../src/intake/calls-repo.js';
import type { EffectRunner, IntakeRecorder } from '../../src/intake/types.js';
import type { Db } from '../../src/db/knex.js';
import { createOfflineReasoner } from '../../src/reasoning/index.js';
import { expectedSlots, sameValue, type CallerScriptT } from '../../src/simulate/script.js';

export interface DriveOptions {
  db: Db;
  flow: LoadedFlow;
  script: CallerScriptT;
  callSid: string;
  tenantId: number | null;
  recorder: IntakeRecorder;
  effects: EffectRunner;
  stopAfterTurns?: number;
  /** Called after every caller turn (the kill test reports progress to its parent here). */
  onTurn?: (n: number) => void;
  /** A pause before each caller turn, so concurrent calls stay in progress together (the kill test). */
  turnDelayMs?: number;
}

const spoken = (v: unknown): string => (typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v));

export async function drive(o: DriveOptions): Promise<{ outcome: string | null; slots: Record<string, unknown>; effects: string[] }> {
  const at = new Date(o.script.caller.at);
  const calls = createCallsRepo(o.db);
  await calls.create({ callSid: o.callSid, tenantId: o.tenantId, from: o.script.caller.from, to: o.script.caller.to ?? '', flowId: o.flow.id, flowVersion: o.flow.version, startedAt: at });
  const core = createConversation(o.flow, { callSid: o.callSid, from: o.script.caller.from, to: o.script.caller.to ?? '', startedAt: at, channel: 'simulate' }, { reasoner: createOfflineReasoner(), now: () => at });
  const expected = expectedSlots(o.script);
  const answers = o.script.answers ?? {};
  const ran: string[] = [];
  let seq = 0;
  let asked = false;
  const turn = (speaker: 'agent' | 'caller', text: string) =>
    calls.addTurn({ callSid: o.callSid, seq: ++seq, speaker, text, heardText: text, interrupted: false, startedAt: at, endedAt: at, timings: null });

  let cmds = await core.start();
  for (let turns = 0; turns < 200; turns++) {
    const queued: ConversationEvent[] = [];
    let listen: Extract<Command, { type: 'listen' }> | null = null;
    for (const c of cmds) {
      if (c.type === 'say') await turn('agent', c.text);
      else if (c.type === 'generate') await turn('agent', c.fallbackText);
      else if (c.type === 'slot') await o.recorder.slot(o.callSid, c.name, c.value, c.confirmed, false, c.parties);
      else if (c.type === 'effect') {
        ran.push(c.action);
        const r = await o.effects.run(c, { callSid: o.callSid, tenantId: o.tenantId, slots: core.slots() });
        queued.push({ type: 'effectResult', id: c.id, ok: r.ok, ...(r.data ? { data: r.data } : {}), ...(r.error ? { error: r.error } : {}) });
      } else if (c.type === 'transfer' && o.script.transfer_unanswered) queued.push({ type: 'transferResult', answered: false, reason: 'no answer' });
      else if (c.type === 'listen') listen = c;
    }
    if (queued.length) {
      cmds = [];
      for (const ev of queued) cmds.push(...(await core.handle(ev)));
      continue;
    }
    if (core.done || !listen) break;
    if (o.stopAfterTurns !== undefined && turns >= o.stopAfterTurns) return { outcome: null, slots: core.slots(), effects: ran };
    const slot = listen.expect.slot ?? '';
    const purpose = listen.expect.purpose ?? 'answer';
    let text: string;
    if (purpose === 'confirm') text = expected[slot] === undefined || sameValue(listen.expect.pendingValue, expected[slot]) ? 'yes' : 'no';
    else if (!asked && o.script.opening !== undefined && !(slot in answers)) text = o.script.opening;
    else text = spoken(answers[slot] ?? o.script.default ?? "I don't know");
    asked = true;
    if (o.turnDelayMs) await new Promise((r) => setTimeout(r, o.turnDelayMs));
    await turn('caller', text);
    cmds = await core.handle({ type: 'utterance', text, alternatives: [{ text, confidence: 0.95 }], confidence: 0.95, final: true });
    o.onTurn?.(turns + 1);
  }
  await o.recorder.end(o.callSid, core.outcome, core.slots());
  await calls.finish({ callSid: o.callSid, outcome: core.outcome, reason: 'test', endedAt: at });
  return { outcome: core.outcome, slots: core.slots(), effects: ran };
}
