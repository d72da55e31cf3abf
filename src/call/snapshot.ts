// The conversation snapshot a live call stores after every turn, so that any instance can carry the call on when its
// media stream ends without the call ending (see resume.ts). Writes never block the call: one in flight at a time,
// and a newer snapshot taken meanwhile replaces the queued one (only the latest matters). A failed write is logged
// once per call; the call goes on (a resume then starts from an older snapshot, or not at all).
import type { Command, Language } from '../flows/commands.js';
import type { ConversationCore } from '../flows/core.js';
import type { Logger } from '../observability/logger.js';
import type { CallResumeRepo } from '../intake/call-resume-repo.js';

export interface CallSnapshot {
  v: 1;
  /** ConversationCore.snapshot(): slots, the step, the pending question, the last turn (for the replay). */
  engine: unknown;
  /** The language the caller was last spoken to in (recognition and voice follow it). */
  language: Language;
  /** What the flow was listening for when the snapshot was taken (slot and purpose), null while it was not. */
  pending: { slot: string | null; purpose: string | null } | null;
  /** The last agent line as far as Twilio's marks prove the caller heard it. */
  heard: string | null;
  at: string;
}

export function isCallSnapshot(v: unknown): v is CallSnapshot {
  return !!v && typeof v === 'object' && (v as { v?: unknown }).v === 1 && 'engine' in v;
}

export class CallSnapshots {
  private pending: CallSnapshot['pending'] = null;
  private heardLine: string | null = null;
  private inFlight: Promise<void> | null = null;
  private queued: CallSnapshot | null = null;
  private warned = false;

  constructor(
    private readonly callSid: string,
    private readonly repo: CallResumeRepo,
    private readonly core: ConversationCore,
    private readonly log: Logger,
  ) {}

  /** The core answered an event with `cmds`: store where the conversation is now. */
  afterTurn(cmds: readonly Command[], language: Language): void {
    for (const c of cmds) if (c.type === 'listen') this.pending = { slot: c.expect.slot ?? null, purpose: c.expect.purpose ?? null };
    if (this.core.done) return; // an ended conversation is not resumed; its last live snapshot stays
    this.save(language);
  }

  /** What the caller heard of a line (marks), kept for the next snapshot. */
  heard(text: string): void {
    if (text) this.heardLine = text;
  }

  /** Writes the current state now (a stream about to be handed over) and resolves when every write is done. */
  async final(language: Language): Promise<void> {
    if (!this.core.done) this.save(language);
    while (this.inFlight) await this.inFlight;
  }

  private save(language: Language): void {
    const snap: CallSnapshot = { v: 1, engine: this.core.snapshot(), language, pending: this.pending, heard: this.heardLine, at: new Date().toISOString() };
    if (this.inFlight) {
      this.queued = snap;
      return;
    }
    this.write(snap);
  }

  private write(snap: CallSnapshot): void {
    this.inFlight = this.repo
      .saveSnapshot(this.callSid, snap, new Date())
      .catch((err: Error) => {
        if (!this.warned) this.log.warn({ err: err.message }, 'conversation snapshot not stored; a resume would start from an older one');
        this.warned = true;
      })
      .then(() => {
        this.inFlight = null;
        const next = this.queued;
        this.queued = null;
        if (next) this.write(next);
      });
  }
}
