// The interface the flow engine uses to understand callers. Two implementations share it:
// offline (deterministic normalisers and rules) and online (LLM extraction, Tree of Thought, Monte Carlo).
// The engine depends only on this file, never on how reasoning is done.
import type { Alternative, Language } from '../primitives.js';
import type { Interpretation, UnderstandingContext } from './interpretation.js';

export type SlotType =
  | 'text'
  | 'person_name'
  | 'phone'
  | 'email'
  | 'date'
  | 'yes_no'
  | 'enum'
  | 'number'
  | 'digits'
  | 'address';

export type ConfirmPolicy = 'never' | 'always' | 'when_unsure';

export interface EnumValue {
  value: string;
  synonyms: string[];
}

export interface SlotSpec {
  name: string;
  type: SlotType;
  /** For enum slots. */
  values?: EnumValue[];
  confirm: ConfirmPolicy;
  /** Consistency a value must reach to be accepted without read-back (0..1); default 0.8. */
  threshold?: number;
  /** For date slots: whether dates in the future / past are plausible. */
  dateRange?: 'past' | 'future' | 'any';
  /** For digits slots: allowed lengths. */
  minLength?: number;
  maxLength?: number;
  /**
   * From the flow's `cues:`: phrases that show the caller is giving this slot unasked (lead-ins for text, name and
   * date slots; for yes_no, phrases that mean yes). Understanding uses them to place volunteered values.
   */
  cues?: Partial<Record<Language, string[]>>;
  /** The flow's description of the slot, for the LLM and for disambiguating volunteered values. */
  description?: string;
}

/** What the caller said, with recognition alternatives (best first). */
export interface UtteranceInput {
  text: string;
  alternatives: Alternative[];
  confidence: number;
}

export interface ReasoningContext {
  /** Call time; relative dates are resolved against it in `timezone`. */
  now: Date;
  timezone: string;
  /** ISO 3166 region for phone numbers without a country code, e.g. "US". */
  defaultRegion: string;
  language: Language;
  /** Recent turns, oldest first; already redacted of card-like digit runs. */
  transcript: { speaker: 'caller' | 'agent'; text: string }[];
  slots: Record<string, unknown>;
  /** Hard deadline for this decision in ms; reasoning returns its best answer by then. */
  deadlineMs?: number;
}

/** A slot value in its canonical form: E.164 phone, lower-case email, YYYY-MM-DD date, boolean yes/no, enum value. */
export type SlotValue = string | number | boolean;

export interface Verdict {
  /** Share of samples (or alternatives) that agree with the value, adjusted for small samples (0..1). */
  consistency: number;
  /** The value most samples agreed on (may differ from the first extraction). */
  value?: SlotValue;
  samples: number;
}

export interface Extraction {
  /** ok: a valid value; invalid: something was said but it is not a valid value (e.g. 7-digit phone); none: nothing usable. */
  status: 'ok' | 'invalid' | 'none';
  value?: SlotValue;
  /** How to read the value back to the caller ("three one two, five five five, ..."). */
  spoken?: string;
  confidence: number;
  /** True when the confirmation policy wants a read-back now. */
  confirm: boolean;
  /** Why confirmation is needed or why the value is invalid, for logs and the reprompt. */
  reason?: string;
  /** When true, the caller should be asked to spell the value rather than just confirm it. */
  askToSpell?: boolean;
  /**
   * Validation that did not finish inside the inline budget. The engine moves on and applies it on its next event:
   * a verdict below the slot's threshold turns into a read-back, never into silence.
   */
  lateVerdict?: Promise<Verdict>;
}

export interface DecisionSpec {
  /** What is being decided, e.g. "is_emergency" or "practice_area". */
  name: string;
  question: string;
  options: string[];
}

export interface Decision {
  choice: string | null;
  /** 0..1 share of the vote (Tree of Thought) or rule confidence (offline). */
  confidence: number;
  /** Short reasons from the winning path(s), for the audit trail; never spoken. */
  rationale: string[];
}

/** A correction the caller made ("no, my name is ..."), resolved to the slot it changes. */
export interface Correction {
  slot: string;
  utterance: string;
}

export interface Reasoner {
  readonly mode: 'offline' | 'online';
  /**
   * The engine's entry point for every final utterance: everything the caller did in it (fills for any slot in scope,
   * corrections, requests, questions). See interpretation.ts. `extract` stays as a building block.
   */
  understand(input: UtteranceInput, ctx: UnderstandingContext): Promise<Interpretation>;
  extract(slot: SlotSpec, input: UtteranceInput, ctx: ReasoningContext): Promise<Extraction>;
  decide(spec: DecisionSpec, input: UtteranceInput, ctx: ReasoningContext): Promise<Decision>;
  /** Finds which slot (of those already collected) a correction like "no, my name is Ann" targets, if any. */
  correction(input: UtteranceInput, slots: SlotSpec[], ctx: ReasoningContext): Promise<Correction | null>;
  /**
   * Streams an LLM-written reply for a `generate` command, sentence by sentence, each already checked against legal
   * advice. Absent in offline mode: the caller then speaks the command's fallbackText. Iteration throws when the LLM
   * fails; the caller falls back the same way.
   */
  streamReply?(instruction: string, context: Record<string, unknown>, opts: { signal?: AbortSignal; language: Language }): AsyncIterable<string>;
}
