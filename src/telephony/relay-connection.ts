// One Twilio ConversationRelay WebSocket: parses Twilio's JSON messages (setup, prompt, dtmf, interrupt, error, info)
// and hands them to the call's RelaySession; sends text, language and end back. The session starts only through the
// StreamGate: the setup's customParameters must carry the relay token HERMES minted for the setup's callSid, for a
// live call row of ours that no stream has claimed (claimed by setup.sessionId). Nothing else in setup is trusted:
// tenant, numbers and flow come from the call row. A malformed or unknown message is counted
// (hermes_media_messages_rejected_total, reasons prefixed relay_) and skipped, never a crash.
// Wire format: ../../../shared/reference/conversationrelay.md and https://www.twilio.com/docs/voice/conversationrelay/websocket-messages
import type { WebSocket, RawData } from 'ws';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { CallRuntime } from '../call/runtime.js';
import { RelaySession, type RelayOut } from '../call/relay-session.js';
import { turnSettings } from '../call/turn-settings.js';
import { displayParams, type StreamGate } from './stream-gate.js';

/** Twilio's largest message (setup) is well under this. */
export const RELAY_MAX_MESSAGE_BYTES = 16 * 1024;

interface RelayMessage {
  type?: unknown;
  callSid?: unknown;
  sessionId?: unknown;
  customParameters?: unknown;
  voicePrompt?: unknown;
  last?: unknown;
  digit?: unknown;
  utteranceUntilInterrupt?: unknown;
  description?: unknown;
}

export class RelayConnection {
  private session: RelaySession | null = null;
  private starting = false;
  private done = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly runtime: CallRuntime,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly gate: StreamGate,
    private readonly speechMsPerChar: number,
  ) {
    ws.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    ws.on('close', () => void this.finish('relay socket closed'));
    ws.on('error', () => this.reject('malformed'));
  }

  private reject(reason: string): void {
    this.metrics.mediaRejected.inc({ reason: `relay_${reason}` });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    if (isBinary) return this.reject('binary');
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    if (buf.length > RELAY_MAX_MESSAGE_BYTES) return this.reject('oversized');
    let msg: RelayMessage;
    try {
      msg = JSON.parse(buf.toString('utf8')) as RelayMessage;
    } catch {
      return this.reject('malformed');
    }
    if (msg === null || typeof msg !== 'object') return this.reject('malformed');
    if (msg.type === 'setup') return this.onSetup(msg);
    const s = this.session;
    switch (msg.type) {
      case 'prompt': {
        if (typeof msg.voicePrompt !== 'string') return this.reject('malformed');
        if (!s) return this.reject('before_setup');
        // Partial prompts (partialPrompts="true") are not final: only the last one is an utterance.
        if (msg.last === true) s.prompt(msg.voicePrompt.slice(0, 4000));
        return;
      }
      case 'dtmf': {
        if (typeof msg.digit !== 'string' || !/^[0-9*#A-D]$/.test(msg.digit)) return this.reject('malformed');
        if (!s) return this.reject('before_setup');
        return s.dtmf(msg.digit);
      }
      case 'interrupt': {
        const heard = typeof msg.utteranceUntilInterrupt === 'string' ? msg.utteranceUntilInterrupt : '';
        if (!s) return this.reject('before_setup');
        return s.interrupt(heard.slice(0, 4000));
      }
      case 'error': {
        // Twilio refused one of our messages (64107) or hit a problem of its own; the session goes on.
        this.metrics.providerErrors.inc({ provider: 'twilio_relay', kind: 'error' });
        this.log.warn({ callSid: s?.callSid, description: typeof msg.description === 'string' ? msg.description.slice(0, 300) : '' }, 'ConversationRelay error');
        return;
      }
      case 'info':
        return; // debug events (agentSpeaking, tokensPlayed): not relied on
      default:
        return this.reject(typeof msg.type === 'string' ? 'unknown_event' : 'malformed');
    }
  }

  private onSetup(msg: RelayMessage): void {
    if (this.session || this.starting || this.done) return this.reject('duplicate_setup');
    const { callSid, sessionId } = msg;
    if (typeof callSid !== 'string' || typeof sessionId !== 'string' || !callSid || !sessionId || callSid.length > 64 || sessionId.length > 64) {
      return this.reject('malformed');
    }
    const params: Record<string, string> = {};
    const cp = msg.customParameters;
    if (cp && typeof cp === 'object') {
      for (const [k, v] of Object.entries(cp as Record<string, unknown>)) if (typeof v === 'string') params[k] = v;
    }
    this.starting = true;
    const log = this.log.child({ callSid });
    const refuse = (reason: string, code: number) => {
      this.starting = false;
      this.done = true;
      this.reject(`setup_${reason}`);
      log.warn({ reason, params: displayParams(params) }, 'ConversationRelay setup refused');
      if (this.ws.readyState === this.ws.OPEN) this.ws.close(code, 'session not admitted');
    };
    this.gate
      .admit(callSid, sessionId, params)
      .then(async (admission) => {
        if (!admission.ok) return refuse(admission.reason, 1008);
        const session = await this.open(admission.call);
        this.starting = false;
        this.session = session;
        if (this.done) await this.closeSession(session, 'relay socket closed during setup');
      })
      .catch((err: Error) => {
        // The database could not say whether the call is ours, or the flow would not load: refuse, never trust the wire.
        log.error({ err: err.message }, 'ConversationRelay session could not start');
        refuse('no_records', 1011);
      });
  }

  private async open(call: Parameters<CallRuntime['open']>[0]['call']): Promise<RelaySession> {
    const rt = this.runtime;
    // The firm's own flow (its name, hours, fee and numbers laid over `firm:`), as on Media Streams.
    const { flow, firm } = await rt.flowForCall(call);
    // Back from a warm transfer nobody accepted: the same conversation goes on at the flow's on_no_answer.
    const back = rt.parked.take(call.callSid);
    const facts = { callSid: call.callSid, from: call.from, to: call.to, startedAt: new Date(), channel: 'phone' as const, ...(back ? { language: back.language } : {}), ...(firm ? { firm } : {}) };
    const session = new RelaySession({
      facts, flow, core: back?.core ?? rt.deps.flows.conversation(flow, facts), out: this.relayOut(), services: rt.deps,
      ...(back ? { resume: { event: { type: 'transferResult', answered: false, reason: 'nobody accepted the transfer' }, turns: back.turns() } } : {}),
      afterStream: (sid, plan) => rt.setAfterStream(sid, plan), tenantId: call.tenantId,
      log: rt.deps.log, metrics: rt.deps.metrics, settings: turnSettings(rt.deps.settings), speechMsPerChar: this.speechMsPerChar,
      // The heartbeat already runs for this session and keeps running while the call is parked (runtime.release).
      park: (sid, p) => rt.parked.park(sid, { ...p, tenantId: call.tenantId }),
    });
    rt.adopt(session);
    session.start();
    return session;
  }

  private async finish(reason: string): Promise<void> {
    if (this.done) return;
    this.done = true;
    if (this.session) await this.closeSession(this.session, reason);
  }

  private async closeSession(s: RelaySession, reason: string): Promise<void> {
    try {
      await s.close(reason);
    } finally {
      this.runtime.release(s.callSid, s);
    }
  }

  private relayOut(): RelayOut {
    const ws = this.ws;
    const send = (m: Record<string, unknown>) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(m));
    };
    return {
      text: (token, last, o) => send({ type: 'text', token, last, lang: o.lang, interruptible: o.interruptible }),
      language: (code) => send({ type: 'language', ttsLanguage: code, transcriptionLanguage: code }),
      end: (handoffData) => send({ type: 'end', handoffData }),
      close: () => {
        if (ws.readyState === ws.OPEN) ws.close(1000, 'session ended');
      },
    };
  }
}
