// What changed in a firm's calls and intakes, found by polling the database, so every instance behind nginx sees the
// calls any other instance answered (an in-process emitter would only see its own) and the API never reaches into
// call/. One poll per tick for all open streams of this process; nothing runs while nobody listens.
import type { Db } from '../db/knex.js';
import { toIso } from '../auth/dates.js';

export interface ChangeEvent {
  type: 'call' | 'intake';
  callSid: string;
  intakeId: number | null;
  /** The call's status (in-progress, completed...) or the intake's review step. */
  status: string;
}

type Listener = (e: ChangeEvent) => void;
type Row = Record<string, unknown>;

/** Look back this far past the previous poll: a row written in the same millisecond as a poll is not missed. */
const OVERLAP_MS = 2000;

export class ChangeFeed {
  private readonly listeners = new Map<number, Set<Listener>>();
  private timer: NodeJS.Timeout | null = null;
  private since = new Date();
  /** Versions already sent (key -> version), so the overlap never sends the same change twice. */
  private readonly sent = new Map<string, { version: string; at: number }>();
  private polling = false;

  constructor(private readonly db: Db, private readonly intervalMs = 1000, private readonly onError: (err: unknown) => void = () => {}) {}

  subscribe(tenantId: number, fn: Listener): () => void {
    let set = this.listeners.get(tenantId);
    if (!set) this.listeners.set(tenantId, (set = new Set()));
    set.add(fn);
    if (!this.timer) {
      this.since = new Date(Date.now() - OVERLAP_MS);
      this.timer = setInterval(() => void this.poll(), this.intervalMs);
      this.timer.unref();
    }
    return () => {
      set.delete(fn);
      if (set.size === 0) this.listeners.delete(tenantId);
      if (this.listeners.size === 0) this.stop();
    };
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One poll; public so a test can drive it without waiting for the timer. */
  async poll(): Promise<void> {
    if (this.polling || this.listeners.size === 0) return;
    this.polling = true;
    const started = Date.now();
    try {
      const tenants = [...this.listeners.keys()];
      const since = this.since;
      const calls = (await this.db('calls').whereIn('tenant_id', tenants)
        .andWhere((w) => w.where('started_at', '>', since).orWhere('ended_at', '>', since))
        .select('call_sid', 'tenant_id', 'status', 'outcome')) as Row[];
      const intakes = (await this.db('intakes').whereIn('tenant_id', tenants)
        .andWhere((w) => w.where('updated_at', '>', since).orWhere('reviewed_at', '>', since))
        .select('id', 'call_sid', 'tenant_id', 'review_status', 'updated_at', 'reviewed_at')) as Row[];
      for (const c of calls) {
        this.emit(Number(c.tenant_id), `call:${String(c.call_sid)}`, `${String(c.status)}|${String(c.outcome)}`,
          { type: 'call', callSid: String(c.call_sid), intakeId: null, status: String(c.status) });
      }
      for (const i of intakes) {
        this.emit(Number(i.tenant_id), `intake:${String(i.id)}`, `${toIso(i.updated_at)}|${toIso(i.reviewed_at)}|${String(i.review_status)}`,
          { type: 'intake', callSid: String(i.call_sid), intakeId: Number(i.id), status: String(i.review_status ?? 'new') });
      }
      this.since = new Date(started - OVERLAP_MS);
      for (const [k, v] of this.sent) if (v.at < started - 4 * OVERLAP_MS - this.intervalMs) this.sent.delete(k);
    } catch (err) {
      this.onError(err);
    } finally {
      this.polling = false;
    }
  }

  private emit(tenantId: number, key: string, version: string, e: ChangeEvent): void {
    if (this.sent.get(key)?.version === version) return;
    this.sent.set(key, { version, at: Date.now() });
    for (const fn of this.listeners.get(tenantId) ?? []) fn(e);
  }
}
