// What a CallSession needs from the world, as small interfaces. The telephony edge supplies MediaOut; services.ts
// supplies the rest from the speech, flows, reasoning, intake and integrations areas. Tests supply doubles.
import type { Command, Language } from '../flows/commands.js';
import type { ConversationEvent } from '../flows/events.js';
import type { CallFacts, ConversationCore, LoadedFlow } from '../flows/core.js';
import type { TtsProvider, SttProvider } from '../speech/types.js';
import type { EffectRunner, IntakeRecorder } from '../intake/types.js';
import type { CallsRepo } from '../intake/calls-repo.js';
import type { CallRecordkeeping } from './recording.js';
import type { CallResumeRepo } from '../intake/call-resume-repo.js';

export type GenerateCommand = Extract<Command, { type: 'generate' }>;

/** The outbound half of a Media Stream. Implementations must not throw (a dead socket drops silently). */
export interface MediaOut {
  /** Mu-law audio: one 20 ms frame or several back to back (Twilio plays any chunk size in order). */
  sendMedia(frame: Buffer): void;
  sendMark(name: string): void;
  sendClear(): void;
  /** Closes the stream from our side (Twilio then runs any TwiML after <Connect>, or the call ends). */
  close(): void;
}

/**
 * A warm transfer as the channel carries it out: each number rings in turn for `ringTimeoutS`; whoever answers hears
 * `whisper` and is connected only on pressing 1; the caller hears a hold line in `language` meanwhile. When nobody
 * accepts, the call comes back to HERMES and the conversation continues at the flow's `on_no_answer`.
 */
export interface WarmDial {
  numbers: string[];
  whisper: string;
  language: Language;
  ringTimeoutS: number;
}

/** Live-call control over Twilio REST; absent when no Twilio credentials are configured. */
export interface CallControl {
  hangup(callSid: string): Promise<void>;
  /**
   * Redirects the call to a <Dial> (a warm one when `opts.warm` is given), optionally speaking lines first with
   * Twilio's own voice in `opts.language`.
   */
  transfer(callSid: string, to: string, sayFirst?: string[], opts?: { warm?: WarmDial; language?: Language }): Promise<void>;
  /** Speaks lines with Twilio's voice and hangs up (when our own voice is down). */
  sayAndHangup(callSid: string, lines: string[], language?: Language): Promise<void>;
}

/** What Twilio should do when our stream closes (answered at <Connect action>): works without REST credentials. */
export interface AfterStreamPlan {
  /** Number to <Dial> (a transfer). */
  dial?: string;
  /** The transfer is warm: ring these numbers in turn with a whisper (see WarmDial). */
  warm?: WarmDial;
  /** Lines Twilio's voice speaks first (our own voice was down). */
  lines: string[];
  /** The caller's language, for Twilio's voice. */
  language?: Language;
  /** Carry the call on over <Gather> (the provider that could not be had at the call's start). */
  gather?: 'stt' | 'tts';
}

/** Synthesized fixed prompts held in memory (the prompt cache, keyed by voice and text). */
export interface PromptAudio {
  /** Audio of a fixed prompt for this voice, or undefined when it is not in memory. Never waits. */
  get(voice: string, text: string): Buffer | undefined;
}

/** Streams an LLM-written reply as text tokens; ends when the reply is complete. Throws or ends early on abort. */
export type ReplyStreamer = (cmd: GenerateCommand, facts: CallFacts, signal: AbortSignal) => AsyncIterable<string>;

/** Cuts a token stream into sentences so the first one can be spoken while the rest is written. */
export interface SentenceSplitter {
  push(text: string): string[];
  /** The remainder at the end of the stream. */
  end(): string[];
}

/** Observer for measurements (benchmark); optional and never on the per-frame path. */
export interface SessionObserver {
  agentTurn?(m: AgentTurnMeasure): void;
  /** framesSent: 20 ms frames handed to Twilio. */
  sessionClosed?(callSid: string, stats: { framesSent: number; lateFrames: number; droppedFrames: number; lateness: Uint32Array }): void;
}

export interface AgentTurnMeasure {
  callSid: string;
  /** True for the first agent audio of the call (measured from the stream's start). */
  greeting: boolean;
  /** Reference (end of caller turn, or stream start) -> first outbound frame. */
  firstFrameMs: number;
  /** Time spent waiting on providers (LLM first token, TTS first byte) inside firstFrameMs. */
  providerWaitMs: number;
  /** The reply came from the prompt cache (no provider involved). */
  cached: boolean;
}

/** The shared providers and stores every session of a runtime uses (null where not configured). */
export interface SessionServices {
  stt: SttProvider | null;
  tts: TtsProvider | null;
  /** Voice for this call when the flow names none. */
  defaultVoice: string;
  prompts: PromptAudio | null;
  reply: ReplyStreamer | null;
  splitter: () => SentenceSplitter;
  calls: CallsRepo | null;
  recorder: IntakeRecorder | null;
  effects: EffectRunner | null;
  control: CallControl | null;
  observer?: SessionObserver;
  /** Recording after the disclosure and the call's language (recording.ts); absent: neither is kept. */
  recordkeeping?: CallRecordkeeping | null;
}

/** Everything a session is built from: the runtime's services plus this call's own parts. */
export interface SessionDeps extends SessionServices {
  facts: CallFacts;
  streamSid: string;
  flow: LoadedFlow;
  core: ConversationCore;
  out: MediaOut;
  /** Records what Twilio does after the stream closes (transfer or goodbye without REST); stored before the stream closes. */
  afterStream?: (callSid: string, plan: AfterStreamPlan) => Promise<void> | void;
  /** Where the session stores its snapshot after every turn, so the call can resume on another stream; null: not resumable. */
  resumes?: CallResumeRepo | null;
  tenantId: number | null;
  /**
   * A warm transfer is leaving the stream: the conversation is kept (not ended) so the call can come back to it if
   * nobody accepts. `turns`: how many transcript turns this session wrote (read when the call comes back), so the next
   * session numbers its turns on from there.
   */
  park?: (callSid: string, parked: { core: ConversationCore; turns: () => number; language: Language; warm: WarmDial }) => void;
  /**
   * The call may go on over <Gather> when a speech provider fails before the caller has said anything (see
   * gather-fallback.ts); called when it does. Absent: the usual apology and flow fallback.
   */
  gatherFallback?: (provider: 'stt' | 'tts') => void;
  /** This session continues a parked call: the event to resume with instead of the greeting, and turns written so far. */
  resume?: { event: ConversationEvent; turns: number };
}

/** The apology every voice keeps cached (services warm it), so it plays even when TTS is down. */
export const APOLOGY_PROMPT_ID = 'system.apology';
export const APOLOGY_TEXT = "I'm sorry, I'm having trouble on my end right now.";
