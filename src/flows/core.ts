// The conversation-core interface: what every channel relies on. The flow engine implements it;
// CallSession (phone), `hermes chat` and `hermes simulate` drive it and nothing more.
import type { ConversationEvent } from './events.js';
import type { Command, Language, Outcome } from './commands.js';

/** Facts about the call that flows may branch on. */
export interface CallFacts {
  callSid: string;
  from: string;
  to: string;
  /** When the call started; business hours and relative dates ("last Tuesday") are computed from it. */
  startedAt: Date;
  channel: 'phone' | 'chat' | 'simulate';
  language?: Language;
  /**
   * Facts the firm's own settings give (the tenant record), over the flow's `firm:` block: `recording` is whether
   * this firm records its calls, so the disclosure can say so only when it is true.
   */
  firm?: FirmSettingsFacts;
}

/** Firm facts that come from the tenant's settings rather than the flow. */
export interface FirmSettingsFacts {
  recording?: boolean;
}

/** A prompt whose text is fixed in the flow, so it can be synthesized before any call. */
export interface FixedPrompt {
  promptId: string;
  text: string;
  language: Language;
}

export interface ConversationCore {
  /** Commands for the start of the call (disclosure, greeting, first question). */
  start(): Promise<Command[]>;
  /** Feeds one event; returns what to do next. Calls are serialised by the caller (one at a time). */
  handle(event: ConversationEvent): Promise<Command[]>;
  /** True once an `end` or `transfer` command has been returned. */
  readonly done: boolean;
  /** The outcome once done (completed, transferred, ...). */
  readonly outcome: Outcome | null;
  /** Current slot values (what the intake record holds). */
  slots(): Record<string, unknown>;
  /** JSON-serialisable state, enough to resume or replay the conversation. */
  snapshot(): unknown;
}

/** A loaded flow, ready to run many conversations. */
export interface LoadedFlow {
  id: string;
  version: string;
  /** Path the flow was loaded from. */
  file: string;
  /** Every fixed prompt of the flow and its subflows, for the prompt cache. */
  fixedPrompts(): FixedPrompt[];
  /** Vocabulary worth boosting in speech recognition (names of practice areas, enum synonyms...). */
  keyterms(): string[];
  /** The firm's main line (a call that cannot go on with HERMES is put through to it); optional for minimal flows. */
  mainNumber?(): string | null;
  /** Voice settings from the flow (TTS model per language). */
  voice(language: Language): string | null;
  /** Silence and turn-taking settings the flow overrides (milliseconds). */
  timing(): { silenceRepromptMs: number; silenceEndMs: number };
}
