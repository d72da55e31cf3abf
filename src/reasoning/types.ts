// The interface the flow engine uses to understand callers. Two implementations share it:
// offline (deterministic normalisers and rules) and online (LLM extraction, Tree of Thought, Monte Carlo).
// The engine depends only on this file, never on how reasoning is done.
import type { Language } from '../primitives.js';
import type { Interpretation, UnderstandingContext } from './interpretation.js';
import type { ReasoningContext, SlotSpec, SlotValue, UtteranceInput, Verdict } from './values.js';

export type { SlotType, ConfirmPolicy, EnumValue, SlotSpec, UtteranceInput, ReasoningContext, SlotValue, Verdict } from './values.js';

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
