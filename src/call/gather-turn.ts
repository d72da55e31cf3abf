// One turn of a call on the <Gather> channel: Twilio recognises the caller (speech or keys) and plays what we answer,
// one TwiML round trip per turn, so nothing lives in memory between turns. Each webhook restores the conversation
// from the call row's snapshot (the resume store, intake/call-resume-repo.ts), feeds it the caller's input as the
// same event the other channels produce (utterance, dtmf, silence), carries out the commands through the shared
// dispatcher (slots, effects, transcript, intake as on Media Streams), waits for the effects the answer depends on,
// and stores the snapshot again. What the caller hears next comes back as a plan; telephony/gather-twiml.ts writes
// the TwiML. There is no barge-in inside a line (Twilio's speech cuts a prompt, but never tells how much was heard).
import type { Language, ListenCommand } from '../flows/commands.js';
import type { ConversationEvent } from '../flows/events.js';
import type { CallFacts, ConversationCore, LoadedFlow } from '../flows/core.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { StoredCall } from '../intake/calls-repo.js';
import type { CallResumeRepo } from '../intake/call-resume-repo.js';
import { CommandDispatch, type SpeakCommand } from './command-dispatch.js';
import type { Exit } from './handoff.js';
import { isCallSnapshot, type CallSnapshot } from './snapshot.js';
import { TranscriptKeeper } from './transcript.js';
import { streamReply } from './relay-reply.js';
import { recordCallEnd } from './call-end.js';
import { silenceTiming } from './session-voice.js';
import type { SessionServices } from './ports.js';
import type { TurnSettings } from './turn-settings.js';

/** What the caller did since the last TwiML (the <Gather action> parameters), or the start of the call. */
export type GatherInput =
  | { kind: 'start' }
  | { kind: 'speech'; text: string; confidence: number }
  | { kind: 'digits'; digits: string }
  /** The <Gather> timed out with neither speech nor keys (actionOnEmptyResult). */
  | { kind: 'nothing' }
  /** The caller hung up (Twilio's final status): the conversation hears it and the call ends as on Media Streams. */
  | { kind: 'hangup' };

export interface GatherLine {
  text: string;
  language: Language;
  voice: string;
}

/** What Twilio does next: the lines in order, then listen again, dial, or hang up. */
export interface GatherPlan {
  /** The turn the next <Gather action> answers (in its URL), so a replayed request is told from a new one. */
  turn: number;
  lines: GatherLine[];
  next: { kind: 'listen'; timeoutS: number; language: Language; hints: string[] } | { kind: 'transfer'; to: string; language: Language } | { kind: 'end'; language: Language };
}

/** Kept on the call row beside the engine snapshot (CallSnapshot.gather), between two webhooks. */
export interface GatherState {
  /** Caller silence counted so far (timed-out <Gather>s since the caller last spoke or pressed a key). */
  silentMs: number;
  /** The flow's last `listen`, so a read-back confirmed in the next webhook is told (intake/read-backs.ts). */
  listen: ListenCommand | null;
  /** The turn the stored plan asked Twilio to answer, and that plan: a replay of an answered request gets it again. */
  turn: number;
  plan: GatherPlan | null;
}

type GatherSnapshot = CallSnapshot & { gather: GatherState };

export interface GatherTurnDeps {
  services: Pick<SessionServices, 'reply' | 'splitter' | 'calls' | 'recorder' | 'effects' | 'prompts' | 'defaultVoice'>;
  resumes: CallResumeRepo;
  conversation(flow: LoadedFlow, facts: CallFacts): ConversationCore;
  restore(flow: LoadedFlow, facts: CallFacts, snapshot: unknown): ConversationCore;
  log: Logger;
  metrics: Metrics;
  settings: TurnSettings;
}

/** A turn must answer well inside Twilio's webhook timeout (15 s): effects and replies the answer waits for get this long. */
const TURN_WAIT_MS = 8000;

/** The call's <Gather> state on its row, or null when it has none (not on this channel, or ended). */
export async function gatherSnapshot(resumes: CallResumeRepo, callSid: string): Promise<GatherSnapshot | null> {
  const stored = await resumes.snapshot(callSid);
  return stored && isCallSnapshot(stored.snapshot) && 'gather' in stored.snapshot ? (stored.snapshot as GatherSnapshot) : null;
}

/** One turn; null for a hang-up of a call with no <Gather> conversation stored (nothing to end here). */
export async function gatherTurn(
  d: GatherTurnDeps, call: StoredCall, flow: LoadedFlow, facts: CallFacts, input: GatherInput, o: { countCall: boolean; turn?: number },
): Promise<GatherPlan | null> {
  const log = d.log.child({ callSid: call.callSid, channel: 'gather' });
  const snap = input.kind === 'start' ? null : await gatherSnapshot(d.resumes, call.callSid);
  if (input.kind === 'hangup' && !snap) return null;
  // The same action twice (a proxy retrying a POST whose answer was lost): the caller's words count once.
  if (snap?.gather.plan && o.turn !== undefined && o.turn !== snap.gather.turn && input.kind !== 'hangup') {
    log.warn({ turn: o.turn, expected: snap.gather.turn }, '<Gather action> for an answered turn: its answer again');
    return snap.gather.plan;
  }
  const turn = (snap?.gather.turn ?? 0) + 1;
  // A turn without a stored conversation (a snapshot from another build, or one lost) starts the call over rather
  // than fail: the caller hears the greeting again, never silence; what they said is not fed to a core not started.
  if (!snap && input.kind !== 'start' && input.kind !== 'hangup') {
    log.warn({ input: input.kind }, '<Gather action> without a stored conversation; the call starts over');
    input = { kind: 'start' };
  }
  const language = snap?.language ?? facts.language ?? 'en';
  const core = snap ? d.restore(flow, { ...facts, language }, snap.engine) : d.conversation(flow, facts);
  if (!snap && o.countCall) d.metrics.callsTotal.inc();
  const turns = await d.resumes.lastTurnSeq(call.callSid);
  const transcript = new TranscriptKeeper(call.callSid, d.services.calls, log, turns);
  const timing = silenceTiming(flow, d.settings);
  const state: GatherState = { silentMs: snap?.gather.silentMs ?? 0, listen: null, turn, plan: null };
  let spoken = language;
  const lines: (GatherLine & { at: Date })[] = [];
  const replies: Promise<void>[] = [];
  let exit: Exit | null = null;
  // As on Media Streams: the line's language's voice, else the call's, else the runtime's default.
  const voiceOf = (l: Language) => flow.voice(l) ?? flow.voice(facts.language ?? 'en') ?? d.services.defaultVoice;
  const aborts: AbortController[] = [];

  const speak = (c: SpeakCommand) => {
    spoken = c.language;
    const line = { text: c.type === 'say' ? c.text : c.fallbackText, language: c.language, voice: voiceOf(c.language), at: new Date() };
    lines.push(line);
    // A reply the model writes is written whole before it is said (Twilio speaks one document per turn).
    if (c.type === 'generate') {
      const abort = new AbortController();
      aborts.push(abort);
      const parts: string[] = [];
      replies.push(
        streamReply(
          {
            reply: d.services.reply, splitter: d.services.splitter, facts, firstTokenTimeoutMs: d.settings.generateFirstTokenTimeoutMs,
            send: (t) => void (t.trim() && parts.push(t.trim())),
            degraded: (err) => {
              d.metrics.providerErrors.inc({ provider: 'llm', kind: 'degraded' });
              log.warn({ provider: 'llm', err: err.message }, 'provider degraded, fallback used');
            },
          },
          c, abort.signal,
        ).then(() => {
          if (parts.length) line.text = parts.join(' ');
        }, (err: Error) => log.error({ err: err.message }, 'reply failed')),
      );
    }
  };
  const dispatch = new CommandDispatch({
    callSid: call.callSid, tenantId: call.tenantId, core, recorder: d.services.recorder, effects: d.services.effects, log,
    closed: () => false,
    channel: {
      speak,
      listen: (c) => {
        state.listen = c;
      },
      leave: (e) => {
        exit = e;
      },
    },
  });
  if (snap?.gather.listen) dispatch.seen(snap.gather.listen);

  const now = new Date();
  switch (input.kind) {
    case 'start':
      dispatch.toCore(() => core.start());
      break;
    case 'speech':
      state.silentMs = 0;
      transcript.caller(input.text, now, now);
      dispatch.event({ type: 'utterance', text: input.text, alternatives: [{ text: input.text, confidence: input.confidence }], confidence: input.confidence, final: true });
      break;
    case 'digits':
      state.silentMs = 0;
      for (const digit of input.digits) {
        transcript.caller(`(pressed ${digit})`, now, now);
        dispatch.event({ type: 'dtmf', digit } satisfies ConversationEvent);
      }
      break;
    case 'nothing': {
      state.silentMs += listenMs(snap?.gather.listen ?? null, timing);
      dispatch.silence(state.silentMs, state.silentMs >= timing.silenceEndMs);
      break;
    }
    case 'hangup':
      dispatch.hungUp = true;
      dispatch.event({ type: 'hangup' });
      break;
  }
  const deadline = performance.now() + TURN_WAIT_MS;
  const within = <T>(p: Promise<T>) => Promise.race([p.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), Math.max(0, deadline - performance.now())).unref())]);
  if (!(await within(dispatch.settled()))) log.warn('effects still running when the turn had to answer; their results reach the next turn');
  // A reply still being written by then is said as far as it got (or its fallback text).
  if (!(await within(Promise.all(replies)))) for (const a of aborts) a.abort();
  // Stored before the answer goes back: the next webhook (maybe on another instance) must find them.
  await Promise.all([...replies, dispatch.slotsStored()]);
  // Each line is taken as heard whole: Twilio plays it through unless the caller speaks over it, and then says not how far.
  const end = new Date();
  for (const l of lines) transcript.agent(l.text, l.text, false, l.at, end, null);

  const leaving = exit as Exit | null;
  const out = lines.map(({ text, language: l, voice }) => ({ text, language: l, voice }));
  const ending = !!leaving || core.done || input.kind === 'hangup';
  const listen = state.listen ?? snap?.gather.listen ?? null;
  const plan: GatherPlan = leaving?.kind === 'transfer'
    ? { turn, lines: out, next: { kind: 'transfer', to: leaving.to, language: spoken } }
    : ending
      ? { turn, lines: out, next: { kind: 'end', language: spoken } }
      : { turn, lines: out, next: { kind: 'listen', timeoutS: Math.max(1, Math.round(listenMs(listen, timing) / 1000)), language: spoken, hints: flow.keyterms() } };
  if (ending) {
    const reason = input.kind === 'hangup' ? 'caller hung up' : leaving?.kind === 'transfer' ? `transferred: ${leaving.reason}` : (leaving?.reason ?? 'flow ended');
    await recordCallEnd({
      callSid: call.callSid, reason, how: 'ended', core,
      turns: transcript.turns.length, flushed: transcript.flushed(), snapshots: null, language: spoken, recorder: d.services.recorder, calls: d.services.calls,
      endedAt: end, log, metrics: d.metrics,
    });
  } else {
    const next: GatherSnapshot = {
      v: 1, engine: core.snapshot(), language: spoken, heard: lines.at(-1)?.text ?? snap?.heard ?? null, at: end.toISOString(),
      pending: state.listen ? { slot: state.listen.expect.slot ?? null, purpose: state.listen.expect.purpose ?? null } : (snap?.pending ?? null),
      gather: { silentMs: state.silentMs, listen, turn, plan },
    };
    await Promise.all([transcript.flushed(), d.resumes.saveSnapshot(call.callSid, next, end)]);
  }
  return plan;
}

/** How long one <Gather> waits for the caller: the flow's listen timeout, else the reprompt interval, never past the end. */
function listenMs(listen: ListenCommand | null, t: { silenceRepromptMs: number; silenceEndMs: number }): number {
  const reprompt = listen && listen.timeoutMs > 0 ? listen.timeoutMs : t.silenceRepromptMs;
  return Math.min(reprompt, t.silenceEndMs);
}
