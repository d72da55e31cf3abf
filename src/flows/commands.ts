// The commands the conversation core returns. Channels carry them out (speak, listen, transfer, run an effect,
// record a slot, end) and report back with events; the core never performs I/O itself.

import type { Language } from '../primitives.js';

export type { Language } from '../primitives.js';

/** How a call ended, as reported by `hermes simulate` and stored on the intake. */
export type Outcome = 'completed' | 'transferred' | 'message' | 'conflict' | 'abandoned';

export type EffectAction =
  | 'clio.conflict_check'
  | 'clio.create_intake'
  | 'payment.link_sms'
  | 'lawpay.payment_link_sms'
  | 'sms.send'
  | 'webhook'
  | 'take_message';

/**
 * One party a party slot's answer named (`party: true` text slots): the name the conflict check searches, the caller's
 * relationship to them in English for the file ("husband", "other driver", "employer"), and the caller's own words.
 */
export interface SlotParty {
  name: string;
  relationship?: string;
  phrase: string;
}

export interface ListenExpectation {
  /** Slot being collected, when the question is for one. */
  slot?: string;
  /** Slot type, so a channel can tune recognition (digits, names, ...). */
  slotType?: string;
  /** Words worth boosting in recognition (names, legal vocabulary, enum synonyms). */
  keyterms: string[];
  /** Whether key presses are meaningful here. */
  dtmf: boolean;
  /** What the caller is answering: the question itself, a read-back (yes/no) or a request to spell. */
  purpose?: 'answer' | 'confirm' | 'spell';
  /** For a read-back: the value being read back (scripted callers compare it with what they meant). */
  pendingValue?: unknown;
}

export type Command =
  /**
   * Speak text. `promptId` is set when the text is fixed in the flow (no caller data inside), so the
   * channel may play it from the prompt cache. `id` identifies this say for `heard` events.
   */
  | { type: 'say'; id: string; text: string; promptId?: string; interruptible: boolean; language: Language }
  /**
   * Speak a reply the LLM writes (streamed: tokens -> sentences -> speech). `instruction` says what the reply must do;
   * `fallbackText` is spoken instead when no LLM is configured or it fails or misses its deadline.
   */
  | { type: 'generate'; id: string; instruction: string; context: Record<string, unknown>; fallbackText: string; interruptible: boolean; language: Language }
  /** Wait for the caller; `timeoutMs` of silence produces a `silence` event. */
  | { type: 'listen'; expect: ListenExpectation; timeoutMs: number }
  /**
   * Hand the call to a person. `to` is the first number; a warm transfer rings `numbers` in order (each for
   * `ringTimeoutMs`), plays `whisper` to whoever answers and connects only when they accept. `language` is the
   * caller's, for any line the channel speaks meanwhile (hold, fallbacks).
   */
  | { type: 'transfer'; to: string; mode: 'warm' | 'cold'; reason: string; numbers?: string[]; whisper?: string; ringTimeoutMs?: number; language?: Language }
  /** Ask the channel to run a side effect; it answers with an `effectResult` event carrying the same id. */
  | { type: 'effect'; id: string; action: EffectAction; args: Record<string, unknown> }
  /**
   * A slot value changed; `confirmed` is true once it passed validation or the caller confirmed it. `parties`: for a
   * party slot, each party the value names, with the relationship and the caller's phrase (the value holds the names).
   */
  | { type: 'slot'; name: string; value: unknown; confirmed: boolean; parties?: SlotParty[] }
  /** The conversation is over. */
  | { type: 'end'; reason: string; outcome: Outcome };

export type CommandType = Command['type'];
export type SayCommand = Extract<Command, { type: 'say' }>;
export type ListenCommand = Extract<Command, { type: 'listen' }>;
export type EffectCommand = Extract<Command, { type: 'effect' }>;
export type EndCommand = Extract<Command, { type: 'end' }>;
export type SlotCommand = Extract<Command, { type: 'slot' }>;
