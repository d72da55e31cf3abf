// Domain records the call path writes as it goes. Repositories in this folder persist them through db/.
import type { EffectCommand, Outcome, SlotParty } from '../flows/commands.js';

export interface CallRecord {
  callSid: string;
  tenantId: number | null;
  from: string;
  to: string;
  flowId: string;
  flowVersion: string;
  /** How the flow was loaded (a configured file path or stored:<tenant>/<flow>@<version>); the stream runs this one. */
  flowRef?: string | null;
  startedAt: Date;
}

export interface TurnRecord {
  callSid: string;
  seq: number;
  speaker: 'caller' | 'agent';
  /** What was said (caller) or meant to be said (agent). */
  text: string;
  /** What the caller actually heard of an agent turn cut by barge-in; equals text when not interrupted. */
  heardText: string | null;
  interrupted: boolean;
  startedAt: Date;
  endedAt: Date;
  /** Latency split of an agent turn, milliseconds; null where a stage did not happen. */
  timings: TurnTimings | null;
}

export interface TurnTimings {
  /** End of caller turn -> first LLM token (null for scripted prompts). */
  llmFirstTokenMs: number | null;
  /** End of caller turn -> first TTS byte (0 for a cached prompt). */
  ttsFirstByteMs: number | null;
  /** End of caller turn -> first outbound media frame. */
  firstFrameMs: number | null;
}

export interface CallEnd {
  callSid: string;
  outcome: Outcome | null;
  reason: string;
  endedAt: Date;
}

/** What an effect may know about the call it belongs to. */
export interface EffectContext {
  callSid: string;
  tenantId: number | null;
  /** Slot values at the time of the effect. */
  slots: Record<string, unknown>;
}

export interface EffectOutcome {
  ok: boolean;
  data?: Record<string, unknown>;
  error?: string;
}

/**
 * Carries out the engine's `effect` commands for a channel. Reads the caller must wait for (clio.conflict_check)
 * run now under a deadline; deliveries (Clio intake, SMS, webhooks) become outbox rows and answer ok at once.
 */
export interface EffectRunner {
  run(effect: EffectCommand, ctx: EffectContext): Promise<EffectOutcome>;
}

/** Writes the intake as the call goes: each slot when it changes, the status when the call ends. */
export interface IntakeRecorder {
  /**
   * `readBack`: the caller confirmed this value in a read-back (intake/read-backs.ts tells from the commands).
   * `parties`: a party slot's parties (name, relationship, phrase), as the slot command carries them.
   */
  slot(callSid: string, name: string, value: unknown, confirmed: boolean, readBack?: boolean, parties?: SlotParty[]): Promise<void>;
  end(callSid: string, outcome: Outcome | null, slots: Record<string, unknown>): Promise<void>;
}
