// The Twilio edge as one Fastify plugin: POST /twilio/voice (signed; persists the call, picks the flow, answers
// <Connect><Stream>), POST /twilio/status (signed; final status and duration) and the /twilio/media WebSocket,
// whose upgrade is refused with 403 before the handshake unless Twilio's signature checks out.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import formbody from '@fastify/formbody';
import { WebSocketServer } from 'ws';
import type { AppDeps } from '../app-deps.js';
import type { CallRuntime } from '../call/runtime.js';
import type { StoredCall } from '../intake/calls-repo.js';
import type { Language } from '../flows/commands.js';
import { maskPhone } from '../observability/logger.js';
import { publicHttpUrl, publicWsUrl, validUpgrade, validWebhook } from './signature.js';
import { connectStreamTwiml, sayTwiml, voicemailTwiml } from './twiml.js';
import { registerTransferFallback } from './transfer-fallback.js';
import { MediaStreamConnection, MAX_MESSAGE_BYTES } from './media-stream.js';
import { mintStreamToken, STREAM_TOKEN_PARAM, streamTokenKey } from './stream-token.js';
import { createStreamGate } from './stream-gate.js';
import { createStatusSettle } from './status-settle.js';
import { registerRelay } from './relay-plugin.js';
import { typeWebhookParams, webhookParamProblem } from './webhook-params.js';
import { registerWarmTransfer } from './warm-transfer.js';
import { registerRecordWebhooks } from './record-webhooks.js';
import { AFTER_STREAM_PATH, registerAfterStream } from './resume-route.js';
import { registerGather } from './gather-plugin.js';

export const MEDIA_PATH = '/twilio/media';
export { AFTER_STREAM_PATH } from './resume-route.js';
/** ws closes the socket (1009) above this; between MAX_MESSAGE_BYTES and this a message is skipped, not fatal. */
const WS_MAX_PAYLOAD = 4 * MAX_MESSAGE_BYTES;

export interface TelephonyDeps extends AppDeps {
  callRuntime: CallRuntime;
}

const FINAL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export async function telephonyPlugin(app: FastifyInstance, deps: TelephonyDeps): Promise<void> {
  const { config, metrics, callRuntime: runtime } = deps;
  await app.register(formbody);
  // Every webhook below validates its parameters (a repeated CallSid is an array, not a string); signed() answers.
  app.addHook('onRoute', typeWebhookParams);
  const tokenKey = streamTokenKey(config.streamTokenSecret, config.twilioAuthToken);
  const gate = createStreamGate({
    key: tokenKey, calls: runtime.deps.calls, mintedNotBefore: (sid) => runtime.parkedCall(sid)?.returnedAt, ...(runtime.instance ? { instance: runtime.instance } : {}),
  });
  // ConversationRelay (Twilio's own recognition and voice) for numbers whose channel says so; see relay-plugin.ts.
  const relay = registerRelay(app, { config, metrics, log: deps.log, runtime, tokenKey, afterStreamPath: AFTER_STREAM_PATH });

  /**
   * Checks the signature of a form webhook, then its parameters (webhook-params.ts): answers 403 (no TwiML) when
   * unsigned, 400 naming the parameter when signed but malformed, and returns false; true when the body is typed.
   */
  function signed(req: FastifyRequest, reply: FastifyReply, route: string): boolean {
    const params = (req.body ?? {}) as Record<string, string | string[]>;
    const sig = req.headers['x-twilio-signature'];
    const ok =
      config.publicUrl !== null &&
      validWebhook(config.twilioAuthToken, typeof sig === 'string' ? sig : undefined, publicHttpUrl(config.publicUrl, req.url), params);
    if (!ok) {
      metrics.webhookRejected.inc({ route });
      req.log.warn({ route, reason: sig ? 'signature mismatch' : 'no signature' }, 'Twilio request refused');
      void reply.code(403).type('text/plain').send('Forbidden');
      return false;
    }
    if (req.validationError) {
      const problem = webhookParamProblem(req.validationError, req.validationError.validationContext === 'querystring' ? req.query : req.body);
      req.log.warn({ route, reason: problem }, 'Twilio request refused');
      void reply.code(400).type('text/plain').send(problem);
      return false;
    }
    return true;
  }

  app.post('/twilio/voice', async (req, reply) => {
    // Draining (a deploy): no new call here; nginx passes a 503 on to another instance (proxy_next_upstream).
    if (runtime.draining) return reply.code(503).header('retry-after', '1').type('text/plain').send('draining');
    if (!signed(req, reply, 'voice')) return reply;
    const body = req.body as Record<string, string>;
    const callSid = body.CallSid ?? '';
    const from = body.From ?? '';
    const to = body.To ?? '';
    const log = req.log.child({ callSid });
    if (!callSid) {
      return reply.code(400).type('text/plain').send('CallSid missing');
    }
    reply.type('text/xml');
    let route;
    try {
      route = await runtime.route(to);
    } catch (err) {
      // A call never goes silent: Twilio's voice apologises when the flow cannot be loaded.
      log.error({ err: (err as Error).message }, 'no flow for this call');
      return sayTwiml(["We're sorry, we can't take your call right now. Please call again later."]);
    }
    try {
      await runtime.deps.calls?.create({
        callSid, tenantId: route.tenantId, from, to, flowId: route.flow.id, flowVersion: route.flow.version, flowRef: route.flowRef, startedAt: new Date(),
      });
    } catch (err) {
      // Without its row the stream cannot be admitted (the row is what proves the call is ours): Twilio apologises.
      log.error({ err: (err as Error).message }, 'call not stored');
      return sayTwiml(["We're sorry, we can't take your call right now. Please call again later."]);
    }
    log.info({ callerMasked: maskPhone(from), flow: route.flow.id, tenant: route.tenantId }, 'incoming call');
    // Display only (logs, Twilio's console): the media socket takes tenant, numbers and flow from the call row and
    // checks nothing but the token.
    const params: Record<string, string> = { callSid, flow: route.flowRef, from, to };
    if (route.tenantId !== null) params.tenant = String(route.tenantId);
    const channel = route.channel ?? config.channel;
    if (channel === 'conversation-relay') return relay.twiml(params);
    // <Gather> for numbers on that channel, and for Media Streams calls while a speech provider was just found down
    // (see the decision in call/session.ts's fallBackToGather): the caller is not made to wait on a failing connect.
    const gatherNow = runtime.gatherable && (channel === 'gather' || runtime.speechDown());
    const stored = gatherNow ? await runtime.deps.calls?.get(callSid).catch(() => null) : null;
    if (stored) return gather.start(stored, channel === 'gather' ? null : 'provider_down');
    if (channel === 'gather') log.warn('number on the gather channel, but <Gather> needs the database store: Media Streams instead');
    return streamTwiml(params);
  });

  /** <Connect><Stream> with a fresh stream token for the call, and <Connect action> back to us. */
  function streamTwiml(params: Record<string, string>): string {
    const withToken = tokenKey ? { ...params, [STREAM_TOKEN_PARAM]: mintStreamToken(tokenKey, params.callSid!, 'media') } : params;
    return connectStreamTwiml(publicWsUrl(config.publicUrl!, MEDIA_PATH), withToken, publicHttpUrl(config.publicUrl!, AFTER_STREAM_PATH));
  }

  const url = (pathAndQuery: string) => publicHttpUrl(config.publicUrl!, pathAndQuery);
  const voicemail = (path: string, language: Language) => voicemailTwiml(url(path), language);
  // One TwiML round trip per turn, the conversation kept on the call row between webhooks (gather-plugin.ts).
  const gather = registerGather(app, { signed, runtime, url, key: tokenKey, voicemail });
  /** A new stream for a call already in the database (back from a transfer, or resumed after its stream was lost). */
  async function streamFor(callSid: string, resumed: string, known?: StoredCall): Promise<string | null> {
    const call = known ?? (await runtime.deps.calls?.get(callSid));
    if (!call || !tokenKey) return null;
    const params: Record<string, string> = { callSid, flow: call.flowRef ?? '', from: call.from, to: call.to, resumed };
    if (call.tenantId !== null) params.tenant = String(call.tenantId);
    // Back on the channel the call came in on (the number's, else CHANNEL).
    const channel = (await runtime.deps.calls?.routeFor(call.to))?.channel ?? config.channel;
    return channel === 'conversation-relay' ? relay.twiml(params) : streamTwiml(params);
  }
  // <Connect action>: what next once a media stream has closed (a stored plan, a resume, or the flow's fallback).
  registerAfterStream(app, { signed, runtime, url, voicemail, streamFor, gather: (call, reason) => gather.start(call, reason) });
  registerTransferFallback(app, { signed, runtime, voicemail });
  registerWarmTransfer(app, { signed, runtime, url, voicemail, reconnect: (callSid) => streamFor(callSid, 'transfer') });

  registerRecordWebhooks(app, { signed, db: deps.db });

  const settle = runtime.deps.settler ? createStatusSettle({ settler: runtime.deps.settler, heartbeatMs: runtime.heartbeatMs, log: deps.log }) : null;
  app.post('/twilio/status', async (req, reply) => {
    if (!signed(req, reply, 'status')) return reply;
    const body = req.body as Record<string, string>;
    const callSid = body.CallSid ?? '';
    const status = body.CallStatus ?? '';
    const duration = body.CallDuration !== undefined && /^\d+$/.test(body.CallDuration) ? Number(body.CallDuration) : null;
    if (FINAL_STATUSES.has(status) && runtime.deps.calls) {
      const at = new Date();
      const known = await runtime.deps.calls.recordStatus(callSid, status, duration, at);
      if (!known) req.log.warn({ callSid, status }, 'status for an unknown call');
      // A call away on a warm transfer ends here when the caller hangs up (its <Dial action> may never come).
      else if (runtime.parkedCall(callSid) && !runtime.sessions.has(callSid)) await runtime.endParked(callSid, 'call ended during a warm transfer');
      // A call on <Gather> has no session: its conversation hears the hang-up and the call ends with its outcome.
      else if (!runtime.sessions.has(callSid) && (await gather.hungUp(callSid).catch((err: Error) => (req.log.warn({ callSid, err: err.message }, '<Gather> call end not stored'), false)))) {
        req.log.info({ callSid }, '<Gather> call ended by the caller');
      }
      // A session here settles its own intake when its socket closes; without one, the intake may be orphaned.
      else if (settle && !runtime.sessions.has(callSid)) {
        await settle.ended(callSid, at).catch((err: Error) => req.log.warn({ callSid, err: err.message }, 'interrupted call not settled; the sweep will'));
      }
    }
    return reply.code(204).send();
  });

  // Twilio sends ASCII JSON; invalid UTF-8 fails our own parse and is counted, so ws's per-message validation is skipped.
  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false, skipUTF8Validation: true });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? '';
    if (url.split('?')[0] !== MEDIA_PATH) return; // another feature's upgrade, or a 404 from Node
    if (runtime.draining) {
      // A new stream (a new call, or one being resumed) belongs on an instance that stays: nginx retries another.
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const sig = req.headers['x-twilio-signature'];
    const ok = config.publicUrl !== null && validUpgrade(config.twilioAuthToken, typeof sig === 'string' ? sig : undefined, publicWsUrl(config.publicUrl, url));
    if (!ok) {
      metrics.webhookRejected.inc({ route: 'media' });
      deps.log.warn({ route: 'media', reason: sig ? 'signature mismatch' : 'no signature' }, 'media stream upgrade refused');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      new MediaStreamConnection(ws, runtime, metrics, deps.log, gate);
    });
  };
  app.server.on('upgrade', onUpgrade);
  app.addHook('onClose', async () => {
    app.server.off('upgrade', onUpgrade);
    settle?.close();
    await runtime.closeAll('server shutting down');
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  });
}
