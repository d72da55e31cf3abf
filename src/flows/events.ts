// The events that enter the conversation core. Every channel (phone, terminal chat, script simulation)
// turns what it receives into these and nothing else; see ../../README.md "Conversation core".

/** One STT hypothesis; the first alternative of an utterance is the best one (defined on the lowest floor). */
import type { Alternative } from '../primitives.js';

export type { Alternative } from '../primitives.js';

export type ConversationEvent =
  /** The caller finished (final) or is still saying (interim) something. Only final utterances move the flow. */
  | { type: 'utterance'; text: string; alternatives: Alternative[]; confidence: number; final: boolean }
  /** A key pressed on the phone. */
  | { type: 'dtmf'; digit: string }
  /** The caller has said nothing for `ms` since the last listen began. */
  | { type: 'silence'; ms: number }
  /** A say was cut by barge-in: `upTo` is the text the caller actually heard of say `sayId`. */
  | { type: 'heard'; sayId: string; upTo: string }
  /** The answer to an `effect` command with the same id. */
  | { type: 'effectResult'; id: string; ok: boolean; data?: Record<string, unknown>; error?: string }
  /** A provider (speech, voice, LLM) failed past its retries: the caller must hear an apology and a way forward. */
  | { type: 'providerFailure'; provider: 'stt' | 'tts' | 'llm'; message: string }
  /** After a `transfer`: whether someone picked up. When not, the conversation resumes at the flow's fallback. */
  | { type: 'transferResult'; answered: boolean; reason?: string }
  /**
   * The call's media stream was lost without the call ending (a server died, a socket dropped, a deploy) and a new
   * stream carries the conversation on from its snapshot: the caller hears that the line dropped, then the question.
   */
  | { type: 'resumed' }
  /** The caller hung up or the channel closed. */
  | { type: 'hangup' };

export type ConversationEventType = ConversationEvent['type'];
