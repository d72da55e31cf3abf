// What a ConversationRelay session is built from and speaks to: the outbound messages, the language codes, the
// speech-length estimate and the session's dependencies (the runtime's services, as on Media Streams).
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { Language } from '../flows/commands.js';
import type { CallFacts, ConversationCore, LoadedFlow } from '../flows/core.js';
import type { TurnSettings } from './turn-settings.js';
import type { AfterStreamPlan, SessionDeps, SessionServices } from './ports.js';

/** What HERMES sends on the ConversationRelay socket. Implementations must not throw (a dead socket drops silently). */
export interface RelayOut {
  text(token: string, last: boolean, o: { lang: string; interruptible: boolean }): void;
  language(code: string): void;
  end(handoffData: string): void;
  close(): void;
}

/** Twilio's language codes for the flow's languages (GUESS: es-US rather than es-ES for US firms' callers). */
export const RELAY_LANGUAGE: Record<Language, string> = { en: 'en-US', es: 'es-US' };

/**
 * Twilio says nothing when it has finished speaking a talk cycle (only with debug options, undocumented), yet `end`
 * cuts what is still playing (public ConversationRelay apps wait before sending it). So speech time is estimated at
 * this many ms per character (~13 characters a second, a calm voice; GUESS; RELAY_SPEECH_MS_PER_CHAR) to arm silence
 * timers and to let the last line finish before leaving, never longer than drainBeforeHangupMaxMs.
 */
export const SPEECH_MS_PER_CHAR = 75;

export interface RelaySessionDeps {
  facts: CallFacts;
  flow: LoadedFlow;
  core: ConversationCore;
  out: RelayOut;
  services: Pick<SessionServices, 'reply' | 'splitter' | 'calls' | 'recorder' | 'effects' | 'control' | 'observer'>;
  afterStream: (callSid: string, plan: AfterStreamPlan) => void;
  tenantId: number | null;
  log: Logger;
  metrics: Metrics;
  settings: TurnSettings;
  speechMsPerChar?: number;
  /** A warm transfer keeps the conversation for the call's return (as SessionDeps.park on Media Streams). */
  park?: SessionDeps['park'];
  /** This session continues a parked call (SessionDeps.resume): no greeting, turns numbered on. */
  resume?: SessionDeps['resume'];
}
