// Calls away on a warm transfer: the conversation stays in memory while Twilio rings the on-call numbers, so a call
// nobody accepts comes back to the same conversation (the flow's on_no_answer) on a new media stream. In memory of the
// instance that ran the stream; another instance that gets the dial result does not find it and falls back to a
// voicemail. Never kept longer than a transfer can take.
import type { ConversationCore } from '../flows/core.js';
import type { Language } from '../flows/commands.js';
import type { WarmDial } from './ports.js';

export interface ParkedCall {
  core: ConversationCore;
  /** How many transcript turns the call has written so far. */
  turns: () => number;
  language: Language;
  warm: WarmDial;
  tenantId: number | null;
  /** Someone pressed 1 after the whisper: the <Dial> bridged. */
  accepted: boolean;
  /** When the call was sent back to a new stream (ms): only stream tokens minted since then may take it. */
  returnedAt?: number;
  at: number;
}

/** Ten numbers ringing for two minutes each, and then a conversation with the attorney: dropped after this. */
const PARKED_TTL_MS = 4 * 60 * 60_000;

export class ParkedCalls {
  private readonly calls = new Map<string, ParkedCall>();

  park(callSid: string, p: Omit<ParkedCall, 'accepted' | 'at'>, now = Date.now()): void {
    for (const [sid, c] of this.calls) if (now - c.at > PARKED_TTL_MS) this.calls.delete(sid);
    this.calls.set(callSid, { ...p, accepted: false, at: now });
  }

  get(callSid: string): ParkedCall | undefined {
    return this.calls.get(callSid);
  }

  take(callSid: string): ParkedCall | undefined {
    const p = this.calls.get(callSid);
    this.calls.delete(callSid);
    return p;
  }

  keys(): string[] {
    return [...this.calls.keys()];
  }

  get size(): number {
    return this.calls.size;
  }
}
