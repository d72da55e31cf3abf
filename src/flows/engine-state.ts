// The serialisable state of one conversation, and small pure helpers over it. Everything here is plain JSON so a
// call can be snapshotted, stored and resumed or replayed; pending promises (late verdicts) never live here.
import type { Command, Language, Outcome, SlotParty } from './commands.js';
import type { SlotValue } from '../reasoning/types.js';

export interface Frame {
  unit: string;
  step: string;
}

export type Awaiting =
  /** A question for `slot`; `resume` is where to go afterwards when it was a detour (a doubted earlier answer). */
  | { kind: 'answer'; slot: string; resume?: Frame[] }
  | { kind: 'spell'; slot: string; resume?: Frame[] }
  /** A read-back of `value`; `reask` means the current step's question follows once it is settled. */
  | {
      kind: 'confirm';
      slot: string;
      value: SlotValue;
      spoken: string;
      reask: boolean;
      origin?: Frame[];
      resume?: Frame[];
      /** The step offered caller ID as its question: a "no" is an answer, not a failed try. */
      offer?: boolean;
      /** How many times this read-back has been said (the wording changes each time). */
      said?: number;
      /** A person name read back with this part of its surname spelled ("Kowalski"): a one-word "no" replaces it. */
      spell?: string;
    }
  /** A `decide` step is waiting for the reasoner (resolved inside the same event, never across events). */
  | { kind: 'decide' }
  | { kind: 'effect'; id: string }
  | { kind: 'transfer' };

export interface Doubt {
  slot: string;
  value: SlotValue;
  spoken: string;
  /** Where the slot was asked, so a "no" can ask it again there. */
  stack: Frame[];
}

export interface EngineState {
  version: 1;
  /** `<flow id>@<version>`: a snapshot only resumes on the flow it was taken from. */
  flow: string;
  language: Language;
  /** Caller utterances seen; automatic language detection only looks at the first few. */
  utterances: number;
  stack: Frame[];
  slots: Record<string, SlotValue | null>;
  confirmed: Record<string, boolean>;
  /** Which ask step (`unit#step`) last filled each slot; an ask step skips slots filled by another step only. */
  setBy: Record<string, string>;
  awaiting: Awaiting | null;
  attempts: number;
  silences: number;
  silenceMs: number;
  /** The says and listen of the last turn, for "repeat that". */
  last: Command[];
  /** Recent turns for reasoning; agent turns keep their say id so a barge-in can cut them to what was heard. */
  transcript: { speaker: 'caller' | 'agent'; text: string; id?: string }[];
  seq: number;
  done: boolean;
  outcome: Outcome | null;
  doubts: Doubt[];
  /** How often each engine phrase was said in this call: the next time is said in its next wording. */
  phraseUses: Record<string, number>;
  /** How each slot value is read back to the caller ("last Tuesday, November 17th"), for acknowledgements. */
  spoken: Record<string, string>;
  /** Slots holding a volunteered value that wants a read-back: asked as "I have X, is that right?" at their question. */
  unsure: string[];
  /** Slots the caller declined ("skip", "no tengo"): their questions are not asked again. */
  declined: string[];
  /** How many times the current question has been put (1 = the first time); picks the wording of the next try. */
  tries: number;
  /** Values the caller said no to at a read-back, per slot: heard again, they are not read back a second time. */
  rejected: Record<string, SlotValue[]>;
  /** The parties understanding found in a party slot's answer, for the value they belong to (sent with its slot command). */
  parties: Record<string, { value: SlotValue; list: SlotParty[] }>;
  /** Person names heard unsure whose read-back spells `target` (the surname, or its uncommon part), per slot and value. */
  spellBack: Record<string, { value: SlotValue; target: string }>;
}

export function initialState(language: Language, root: Frame, flow: string): EngineState {
  return {
    version: 1,
    flow,
    language,
    utterances: 0,
    stack: [root],
    slots: {},
    confirmed: {},
    setBy: {},
    awaiting: null,
    attempts: 0,
    silences: 0,
    silenceMs: 0,
    last: [],
    transcript: [],
    seq: 0,
    done: false,
    outcome: null,
    doubts: [],
    spoken: {},
    phraseUses: {},
    unsure: [],
    declined: [],
    tries: 0,
    rejected: {},
    parties: {},
    spellBack: {},
  };
}

/** Fills fields added after a snapshot was taken (snapshots outlive deployments). */
export function upgradeState(s: EngineState): EngineState {
  s.setBy ??= {};
  s.spoken ??= {};
  s.phraseUses ??= {};
  s.unsure ??= [];
  s.declined ??= [];
  s.tries ??= 0;
  s.rejected ??= {};
  s.parties ??= {};
  s.spellBack ??= {};
  return s;
}

export function isEngineState(v: unknown): v is EngineState {
  return !!v && typeof v === 'object' && (v as { version?: unknown }).version === 1 && Array.isArray((v as { stack?: unknown }).stack);
}
