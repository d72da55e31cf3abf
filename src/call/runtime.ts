// The call runtime: everything sessions share (flows, speech providers, prompt cache, repositories, Twilio control),
// and the registry of live sessions. The telephony edge asks it which flow answers a number and to open a session
// when a media stream starts; services.ts builds it.
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { CallFacts, ConversationCore, LoadedFlow } from '../flows/core.js';
import type { FirmFlows, FirmView } from './firm-flows.js';
import { CallSession } from './session.js';
import { turnSettings, type TurnSettings } from './turn-settings.js';
import type { AfterStreamPlan, MediaOut, SessionServices } from './ports.js';
import type { StoredCall } from '../intake/calls-repo.js';
import type { CallSettler } from '../intake/settle.js';
import { ParkedCalls, type ParkedCall } from './parked.js';
import type { CallResumeRepo } from '../intake/call-resume-repo.js';
import { restoreCall, type RestoredCall } from './resume.js';
import { gatherTurn, type GatherInput, type GatherPlan } from './gather-turn.js';

export interface FlowRegistry {
  /** Loads (once) and returns the flow at `ref` (a path or a registered id). */
  get(ref: string): Promise<LoadedFlow>;
  /** A fresh conversation for one call. */
  conversation(flow: LoadedFlow, facts: CallFacts): ConversationCore;
  /** How many flows are cached (bounded). */
  cacheSize?(): number;
  /** The conversation of a call again, from its snapshot (a resumed call); without it calls are not resumed. */
  restore?(flow: LoadedFlow, facts: CallFacts, snapshot: unknown): ConversationCore;
}

export interface CallRuntimeDeps extends SessionServices {
  log: Logger;
  metrics: Metrics;
  flows: FlowRegistry;
  defaultFlow: string;
  settings?: Partial<TurnSettings>;
  /** How often the live calls of this instance are marked seen (calls.last_seen_at); default 15 s. */
  heartbeatMs?: number;
  /** Settles calls whose session is gone (the status callback asks it when the call has no session here). */
  settler?: CallSettler | null;
  /**
   * The flow as this firm's callers hear it (the firm's facts over the flow's `firm:` block) and the firm's settings
   * facts (recording on or off), from one cached read of the tenant; absent: the flow unchanged, and no firm facts.
   */
  firmFlow?: FirmFlows;
  /** Snapshots, after-stream plans and resumes in the database (shared by every instance); null: this process only. */
  resumes?: CallResumeRepo | null;
  /** This instance's name (host:pid), stored with each stream it holds. */
  instance?: string;
}

export interface Route {
  tenantId: number | null;
  flowRef: string;
  flow: LoadedFlow;
  /** The number's own channel (phone_numbers.channel), or null for the CHANNEL setting. */
  channel: string | null;
}

/** A live call of any channel (Media Streams CallSession, ConversationRelay RelaySession): what the registry needs. */
export interface LiveSession {
  readonly callSid: string;
  close(reason: string): Promise<void>;
  /** Lets the stream go without ending the call, so another instance resumes it (Media Streams sessions only). */
  suspend?(reason: string): Promise<void>;
}

export interface StreamStart {
  /** The call row the stream was admitted for: tenant, numbers and flow come from here, never from the wire. */
  call: StoredCall;
  streamSid: string;
  out: MediaOut;
}

/** Plans older than this are dropped (Twilio asks for them within seconds of the stream closing). */
const AFTER_STREAM_TTL_MS = 10 * 60_000;
/**
 * After a call fell back to <Gather> because its speech provider could not be had, new calls go to <Gather> at once
 * for this long (no caller waits on a connect that just failed); the first call after it tries the provider again.
 */
export const SPEECH_DOWN_HOLD_MS = 30_000;
/** Longest a <Gather> turn takes between two webhooks (its lines, then the caller's answer or the timeout). */
const GATHER_HOLD_MS = 3 * 60_000;

export class CallRuntime {
  readonly sessions = new Map<string, LiveSession>();
  /** Calls away on a warm transfer, their conversation kept for the way back. */
  readonly parked = new ParkedCalls();
  private readonly settings: TurnSettings;
  private readonly afterStreamPlans = new Map<string, AfterStreamPlan & { at: number }>();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  /** SIGTERM: no new call or stream here (readiness 503); live calls finish or are handed over (drain.ts). */
  draining = false;
  private beating = false;
  /** Calls on <Gather> this instance answered last, and when: kept live (heartbeat) until their next webhook. */
  private readonly gathering = new Map<string, number>();
  /** Until when (Date.now()) new calls skip Media Streams for <Gather>: a speech provider was just found down. */
  private speechDownUntil = 0;

  get instance(): string | undefined {
    return this.deps.instance;
  }

  constructor(readonly deps: CallRuntimeDeps) {
    this.settings = turnSettings(deps.settings);
  }

  private forFirm(flow: LoadedFlow, tenantId: number | null): Promise<Partial<FirmView> & Pick<FirmView, 'flow'>> {
    return this.deps.firmFlow ? this.deps.firmFlow(flow, tenantId) : Promise.resolve({ flow });
  }

  /**
   * A firm's facts or settings were changed through this instance (admin API): its next call reads them again rather
   * than the cached copy. Other instances, and edits from the CLI, are seen within the cache time (15 s).
   */
  firmChanged(tenantId: number): void {
    this.deps.firmFlow?.forget(tenantId);
  }

  /** Which tenant and flow answer a call to `to`: the phone_numbers mapping, else the default flow. */
  async route(to: string): Promise<Route> {
    const m = await this.mapping(to);
    return { ...m, flow: (await this.forFirm(await this.deps.flows.get(m.flowRef), m.tenantId)).flow };
  }

  /**
   * The flow a stored call runs, overlaid with its firm's facts, and the firm's settings (recording), from the firm
   * cache: the one way every channel learns them. The flow is the one the voice webhook chose (on the call row), else
   * the number mapping's.
   */
  async flowForCall(call: Pick<StoredCall, 'callSid' | 'flowRef' | 'to' | 'tenantId'>): Promise<Pick<FirmView, 'flow'> & { firm?: FirmView['firm'] }> {
    const flowRef = call.flowRef ?? (await this.mapping(call.to)).flowRef;
    const { flow, firm, readError } = await this.forFirm(await this.deps.flows.get(flowRef), call.tenantId);
    // Without the firm's settings the call goes on as a firm that does not record (no claim, no recording).
    if (firm === null) this.deps.log.warn({ callSid: call.callSid, err: readError }, 'firm settings not read; the call is not recorded');
    return { flow, ...(firm ? { firm } : {}) };
  }

  /** The number's mapping alone: no flow loaded, no firm read (open() overlays the flow once, for the call's firm). */
  private async mapping(to: string): Promise<Omit<Route, 'flow'>> {
    const mapped = this.deps.calls ? await this.deps.calls.routeFor(to) : null;
    return { tenantId: mapped?.tenantId ?? null, flowRef: mapped?.flow ?? this.deps.defaultFlow, channel: mapped?.channel ?? null };
  }

  /**
   * An admitted media stream started: build and start its session. The flow is the one the voice webhook chose
   * (stored on the call row), else the number mapping's. Throws only when the flow cannot be loaded.
   */
  async open(s: StreamStart): Promise<CallSession> {
    const { call } = s;
    const { flow, firm } = await this.flowForCall(call);
    // Back from a warm transfer nobody accepted: the same conversation goes on at the flow's on_no_answer.
    const back = this.parked.take(call.callSid);
    let facts: CallFacts = {
      callSid: call.callSid,
      from: call.from,
      to: call.to,
      startedAt: new Date(),
      channel: 'phone',
      ...(back ? { language: back.language } : {}),
      ...(firm ? { firm } : {}),
    };
    // A stream that carries on a call whose earlier stream ended without the call ending (resume.ts).
    const restored = back ? null : await this.restored(flow, facts);
    if (restored) facts = { ...facts, language: restored.language };
    const session = new CallSession(
      {
        facts,
        streamSid: s.streamSid,
        flow,
        core: back?.core ?? restored?.core ?? this.deps.flows.conversation(flow, facts),
        ...(back ? { resume: { event: { type: 'transferResult', answered: false, reason: 'nobody accepted the transfer' }, turns: back.turns() } } : {}),
        ...(restored ? { resume: { event: restored.event, turns: restored.turns } } : {}),
        resumes: this.deps.flows.restore ? (this.deps.resumes ?? null) : null,
        park: (sid, p) => {
          this.parked.park(sid, { ...p, tenantId: call.tenantId });
          this.startHeartbeat();
        },
        out: s.out,
        // A first stream of a call (not one back from a transfer or resumed) may go on over <Gather> (gather-fallback.ts).
        ...(this.gatherable && !back && !restored ? { gatherFallback: () => this.noteSpeechDown() } : {}),
        stt: this.deps.stt,
        tts: this.deps.tts,
        defaultVoice: this.deps.defaultVoice,
        prompts: this.deps.prompts,
        reply: this.deps.reply,
        splitter: this.deps.splitter,
        calls: this.deps.calls,
        recorder: this.deps.recorder,
        effects: this.deps.effects,
        control: this.deps.control,
        afterStream: (sid, plan) => this.setAfterStream(sid, plan),
        observer: this.deps.observer,
        recordkeeping: this.deps.recordkeeping ?? null,
        tenantId: call.tenantId,
      },
      { log: this.deps.log, metrics: this.deps.metrics, settings: this.settings },
    );
    this.sessions.set(call.callSid, session);
    this.startHeartbeat();
    session.start();
    return session;
  }

  /**
   * Calls can go on over <Gather>: the conversation is kept between webhooks on the call row, so it needs the
   * database store and a core that restores from its snapshot (a benchmark's own core does not).
   */
  get gatherable(): boolean {
    return !!this.deps.resumes && !!this.deps.flows.restore;
  }

  /** A speech provider could not be had at a call's start: new calls answer on <Gather> for a while. */
  noteSpeechDown(now = Date.now()): void {
    this.speechDownUntil = now + SPEECH_DOWN_HOLD_MS;
  }

  /** New calls should go to <Gather> (a speech provider was found down moments ago). */
  speechDown(now = Date.now()): boolean {
    return this.gatherable && now < this.speechDownUntil;
  }

  /**
   * One <Gather> turn of a call (call/gather-turn.ts); `countCall`: a call new to HERMES (not a fallback). Null only
   * for a hang-up of a call that has no <Gather> conversation.
   */
  async gather(call: StoredCall, input: GatherInput, o: { countCall: boolean; turn?: number }): Promise<GatherPlan | null> {
    const { resumes } = this.deps;
    const restore = this.deps.flows.restore?.bind(this.deps.flows);
    if (!resumes || !restore) throw new Error('the <Gather> channel needs the database store and a restorable conversation');
    const { flow, firm } = await this.flowForCall(call);
    const facts: CallFacts = { callSid: call.callSid, from: call.from, to: call.to, startedAt: call.startedAt, channel: 'phone', ...(firm ? { firm } : {}) };
    // Between webhooks the call has no session: this instance heartbeats it (and the sweep spares it) meanwhile.
    this.gathering.set(call.callSid, Date.now());
    this.startHeartbeat();
    const plan = await gatherTurn(
      {
        services: this.deps, resumes, restore, conversation: (f, x) => this.deps.flows.conversation(f, x),
        log: this.deps.log, metrics: this.deps.metrics, settings: this.settings,
      },
      call, flow, facts, input, o,
    );
    if (!plan || plan.next.kind !== 'listen') this.gathering.delete(call.callSid);
    return plan;
  }

  private async restored(flow: LoadedFlow, facts: CallFacts): Promise<RestoredCall | null> {
    const { resumes: repo } = this.deps;
    const restore = this.deps.flows.restore?.bind(this.deps.flows);
    if (!repo || !restore) return null;
    return restoreCall({ repo, restore, flow, facts, log: this.deps.log.child({ callSid: facts.callSid }) });
  }

  /** What Twilio should do after this call's stream closed; taken once, on any instance (null: none). */
  async takeAfterStream(callSid: string): Promise<AfterStreamPlan | null> {
    const p = this.afterStreamPlans.get(callSid);
    this.afterStreamPlans.delete(callSid);
    if (p) return p;
    return this.deps.resumes ? ((await this.deps.resumes.takeAfterStream(callSid)) as AfterStreamPlan | null) : null;
  }

  /** A session of another channel (ConversationRelay) joins the registry: heartbeat, shutdown, status callbacks. */
  adopt(session: LiveSession): void {
    this.sessions.set(session.callSid, session);
    this.startHeartbeat();
  }

  /** Records what Twilio's <Connect action> request will be answered with (any channel). */
  async setAfterStream(callSid: string, plan: AfterStreamPlan): Promise<void> {
    // In the database, the plan is found by whichever instance Twilio's <Connect action> request reaches.
    if (this.deps.resumes) return this.deps.resumes.setAfterStream(callSid, plan);
    const now = Date.now();
    for (const [sid, p] of this.afterStreamPlans) if (now - p.at > AFTER_STREAM_TTL_MS) this.afterStreamPlans.delete(sid);
    this.afterStreamPlans.set(callSid, { ...plan, at: now });
  }

  /** The session has closed; forget it. */
  release(callSid: string, session: LiveSession): void {
    if (this.sessions.get(callSid) === session) this.sessions.delete(callSid);
    if (this.idle()) this.stopHeartbeat();
  }

  private idle(): boolean {
    return this.sessions.size === 0 && this.parked.size === 0 && this.gathering.size === 0;
  }

  /** Calls this instance holds: live sessions and calls away on a warm transfer (heartbeat, sweep exclusions). */
  liveCalls(): string[] {
    const now = Date.now();
    // A <Gather> call whose next webhook has not come for this long went elsewhere or ended without a final status.
    for (const [sid, at] of this.gathering) if (now - at > GATHER_HOLD_MS) this.gathering.delete(sid);
    return [...new Set([...this.sessions.keys(), ...this.parked.keys(), ...this.gathering.keys()])];
  }

  /** A call away on a warm transfer, or undefined. */
  parkedCall(callSid: string): ParkedCall | undefined {
    return this.parked.get(callSid);
  }

  /**
   * Nobody accepted the warm transfer: frees the call's stream claim so a new stream (a fresh token) is admitted and
   * continues the conversation. False when the call is not parked here or has ended meanwhile.
   */
  async prepareReturn(callSid: string): Promise<boolean> {
    const p = this.parked.get(callSid);
    if (!p || !this.deps.calls?.releaseStream) return false;
    // Tokens are minted to the millisecond right after this; one minted before it (the first stream's) is refused.
    p.returnedAt = Date.now();
    return this.deps.calls.releaseStream(callSid, new Date(p.returnedAt));
  }

  /**
   * A parked call is over (the attorney took it and someone hung up, or the caller hung up while it rang): its intake
   * and call row end with the conversation's outcome (transferred).
   */
  async endParked(callSid: string, reason: string): Promise<void> {
    const p = this.parked.take(callSid);
    if (!p) return;
    if (this.idle()) this.stopHeartbeat();
    const outcome = p.core.outcome;
    this.deps.metrics.callsEnded.inc({ outcome: outcome ?? 'abandoned' });
    const log = this.deps.log.child({ callSid });
    await Promise.all([
      this.deps.recorder?.end(callSid, outcome, p.core.slots()).catch((err: Error) => log.error({ err: err.message }, 'intake end not stored')),
      this.deps.calls?.finish({ callSid, outcome, reason, endedAt: new Date() }).catch((err: Error) => log.error({ err: err.message }, 'call end not stored')),
    ]);
    log.info({ reason, outcome }, 'call ended after a warm transfer');
  }

  /** How often live calls are marked seen; the settler waits longer than two of these before a call counts as gone. */
  get heartbeatMs(): number {
    return this.deps.heartbeatMs ?? 15_000;
  }

  /**
   * While this instance has live sessions, one batched UPDATE per tick marks all of them seen, so a crash shows as
   * calls whose heartbeat stopped (settled by the sweep of any instance) rather than calls in progress for hours.
   */
  private startHeartbeat(): void {
    if (this.heartbeatTimer || !this.deps.calls) return;
    const calls = this.deps.calls;
    this.heartbeatTimer = setInterval(() => {
      const live = this.liveCalls();
      if (this.beating || live.length === 0) return; // a slow database: skip a tick rather than pile up
      this.beating = true;
      calls
        .heartbeat(live, new Date())
        .catch((err: Error) => this.deps.log.warn({ err: err.message, calls: this.sessions.size }, 'call heartbeat not stored'))
        .finally(() => (this.beating = false));
    }, this.heartbeatMs);
    this.heartbeatTimer.unref();
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = null;
  }

  /**
   * Hands every live session over (a draining instance): each stores its snapshot and lets its stream go without
   * ending the call, so Twilio's <Connect action> carries the call on at another instance.
   */
  async suspendAll(reason: string): Promise<number> {
    // A ConversationRelay session keeps no snapshot to resume from: it stays until it ends or the server closes.
    const live = [...this.sessions.values()].filter((s) => s.suspend);
    await Promise.all(live.map((s) => s.suspend!(reason)));
    return live.length;
  }

  /** Ends every live session (server shutdown). */
  async closeAll(reason: string): Promise<void> {
    await Promise.all([...this.sessions.values()].map((s) => s.close(reason)));
    this.sessions.clear();
    this.stopHeartbeat();
  }
}
