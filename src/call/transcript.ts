// The call's transcript as it happens: every caller and agent turn is written when it ends (not at hang-up), in
// order of sequence number, and a failed write is logged once and never reaches the caller.
import type { Logger } from '../observability/logger.js';
import type { CallsRepo } from '../intake/calls-repo.js';
import type { TurnRecord, TurnTimings } from '../intake/types.js';

export class TranscriptKeeper {
  private seq: number;
  private chain: Promise<void> = Promise.resolve();
  /** Kept in memory only for the session's own lifetime (tests and `heard` decisions read it). */
  readonly turns: TurnRecord[] = [];

  constructor(
    private readonly callSid: string,
    private readonly repo: CallsRepo | null,
    private readonly log: Logger,
    /** Turns already stored for this call (a call that came back from a transfer numbers on from there). */
    firstSeq = 0,
  ) {
    this.seq = firstSeq;
  }

  caller(text: string, startedAt: Date, endedAt: Date): void {
    this.write({ speaker: 'caller', text, heardText: null, interrupted: false, startedAt, endedAt, timings: null });
  }

  agent(text: string, heardText: string, interrupted: boolean, startedAt: Date, endedAt: Date, timings: TurnTimings | null): void {
    this.write({ speaker: 'agent', text, heardText, interrupted, startedAt, endedAt, timings });
  }

  /** Resolves once every turn handed over so far is stored (or has failed and been logged). */
  flushed(): Promise<void> {
    return this.chain;
  }

  private write(t: Omit<TurnRecord, 'callSid' | 'seq'>): void {
    const turn: TurnRecord = { callSid: this.callSid, seq: ++this.seq, ...t };
    this.turns.push(turn);
    const repo = this.repo;
    if (!repo) return;
    this.chain = this.chain.then(() =>
      repo.addTurn(turn).catch((err: Error) => this.log.error({ err: err.message, seq: turn.seq }, 'turn not stored')),
    );
  }
}

const epochOffset = Date.now() - performance.now();
/** The wall-clock time of a performance.now() reading (turn times are stored as dates). */
export function wallClock(perf: number): Date {
  return new Date(epochOffset + perf);
}
