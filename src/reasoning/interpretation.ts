// The vocabulary of understanding: what one final caller utterance *did*, as a short list of things the flow engine
// executes deterministically (Rasa CALM's split between dialogue understanding and flow execution). Offline rules and
// the LLM both produce an Interpretation, so the engine cannot tell them apart. One page on purpose: read it to learn
// what the caller can do to a flow.
import type { Language } from '../primitives.js';
import type { ReasoningContext, SlotSpec, SlotValue, UtteranceInput, Verdict } from './values.js';

/** A value the utterance gives for a slot of the flow in scope (asked or volunteered). */
export interface SlotFill {
  slot: string;
  /** Canonical form: E.164 phone, lower-case email, YYYY-MM-DD date, boolean yes/no, enum value, parsed name. */
  value: SlotValue;
  /** How to read it back ("three one two, five five five, one two three four"; "Kowalski, K O W A L S K I"). */
  spoken: string;
  /** The words of the utterance it came from, verbatim, for audit and for the transcript view. */
  source: string;
  /** 0..1: how sure understanding is of this value. */
  confidence: number;
  /** True when the slot's confirmation policy (or an unsure value) wants a read-back before it counts. */
  confirm: boolean;
  /** Why a read-back is wanted, for logs. */
  reason?: string;
  /** Ask the caller to spell rather than only confirm. */
  askToSpell?: boolean;
  /** Validation still running (Monte Carlo): a verdict below threshold later becomes a read-back. */
  lateVerdict?: Promise<Verdict>;
  /** True when the value is the number the caller is calling from (caller ID), not digits they said. */
  fromCallerId?: boolean;
  /** Party slots: each party named, with the caller's relationship to them and the caller's words. */
  parties?: { name: string; relationship?: string; phrase: string }[];
}

/** The caller fixes an earlier value ("no, my name is Ann", "my last name is spelled K O W A L S K I"). */
export interface SlotCorrection extends SlotFill {
  /** For names: which part changed, when only one did. The value is the whole corrected name. */
  part?: 'first' | 'middle' | 'last';
}

/** Something was said for a slot but it is not a valid value (a 7-digit phone number, "the thirty-second"). */
export interface InvalidAnswer {
  slot: string;
  source: string;
  reason: string;
  askToSpell?: boolean;
}

/** What the caller asks HERMES to do, as opposed to information they give. */
export type CallerRequest =
  | { kind: 'human' }
  | { kind: 'emergency' }
  | { kind: 'repeat' }
  | { kind: 'start_over' }
  | { kind: 'goodbye' }
  | { kind: 'language'; language: Language }
  /** "skip", "none", "I don't have one", "no tengo": leave `slot` (the one asked, when absent) empty and move on. */
  | { kind: 'skip'; slot?: string }
  /** "I don't know", "not sure": an answer about the question, not a value. */
  | { kind: 'unknown'; slot?: string }
  /** "this number", "the one I'm calling from", "el mismo": fill a phone slot with caller ID after a last-four check. */
  | { kind: 'use_caller_id'; slot?: string };

export type CallerRequestKind = CallerRequest['kind'];

/** A question the caller asked: a known FAQ topic when one matches, else the free text (stored for the attorney). */
export interface CallerQuestion {
  /** Id of the matched FAQ topic (e.g. "hours", "consultation_fee", "address", "practice_areas"), or null. */
  topic: string | null;
  /** For practice-area questions ("do you do evictions?"): the matter asked about, as said. */
  subject?: string;
  text: string;
}

export interface Interpretation {
  /** Values for any slot in scope, the asked one first when present. At most one fill per slot. */
  fills: SlotFill[];
  corrections: SlotCorrection[];
  invalid: InvalidAnswer[];
  requests: CallerRequest[];
  questions: CallerQuestion[];
  /** The answer to a yes/no question or read-back, when the utterance is one ("yes", "that's right", "no, it's ..."). */
  affirm?: boolean;
  /** The language the utterance is in, when detection is sure of it. */
  language?: Language;
  /** True when nothing above was found: the engine says it did not understand (and only then). */
  nothingUsable: boolean;
  /** Which understanding produced this (for logs and metrics). */
  by: 'offline' | 'online' | 'online+offline';
}

/** A FAQ topic the flow can answer, described so understanding can recognise questions about it. */
export interface FaqTopic {
  id: string;
  /** Example questions or key phrases per language, from the flow's `faq:` block or the built-in defaults. */
  examples: Partial<Record<Language, string[]>>;
}

/** What understanding needs to know about the conversation, beyond ReasoningContext. */
export interface UnderstandingContext extends ReasoningContext {
  /** The question pending when the caller spoke, if any. */
  asked?: { slot: string; purpose: 'answer' | 'confirm' | 'spell'; pendingValue?: SlotValue };
  /** Every slot of the flow in scope that the caller could fill now (the asked one included), with its spec. */
  slotsInScope: SlotSpec[];
  /** The number the caller is calling from (E.164), when the channel knows it. */
  callerId?: string;
  /** FAQ topics the flow can answer. */
  faq: FaqTopic[];
  /** Custom request phrases from the flow's globals (replace the defaults for that kind and language). */
  requestWords?: Partial<Record<CallerRequestKind, Partial<Record<Language, string[]>>>>;
  /** Requests switched off at the current step (`ignore_global`); understanding may still report them. */
  disabledRequests?: CallerRequestKind[];
}

/** The understanding step, implemented by the offline and online reasoners (see Reasoner.understand). */
export type Understand = (input: UtteranceInput, ctx: UnderstandingContext) => Promise<Interpretation>;

/** An interpretation that found nothing. */
export function emptyInterpretation(by: Interpretation['by'] = 'offline'): Interpretation {
  return { fills: [], corrections: [], invalid: [], requests: [], questions: [], nothingUsable: true, by };
}
