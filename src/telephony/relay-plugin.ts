// The ConversationRelay channel's edge: the <Connect><ConversationRelay> TwiML the voice webhook answers for numbers
// on this channel, and the /twilio/relay WebSocket, whose upgrade is refused with 403 before the handshake unless
// Twilio's signature checks out (as for Media Streams). When the session ends, <Connect action> is the same
// /twilio/after-stream route, answered from the same hand-off plan (transfer, goodbye, hang-up).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import twilio from 'twilio';
import { WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import type { Logger } from '../observability/logger.js';
import type { Metrics } from '../observability/metrics.js';
import type { CallRuntime } from '../call/runtime.js';
import { RELAY_LANGUAGE } from '../call/relay-session.js';
import { publicHttpUrl, publicWsUrl, validUpgrade } from './signature.js';
import { mintStreamToken, STREAM_TOKEN_PARAM } from './stream-token.js';
import { createStreamGate } from './stream-gate.js';
import { RelayConnection, RELAY_MAX_MESSAGE_BYTES } from './relay-connection.js';

export const RELAY_PATH = '/twilio/relay';

export interface RelayEdge {
  /** <Connect action><ConversationRelay> for one call, with a fresh relay token among its <Parameter>s. */
  twiml(params: Record<string, string>): string;
}

export function registerRelay(
  app: FastifyInstance,
  d: { config: Config; metrics: Metrics; log: Logger; runtime: CallRuntime; tokenKey: Buffer | null; afterStreamPath: string },
): RelayEdge {
  const { config, metrics, runtime, tokenKey } = d;
  // As for Media Streams: a call back from a warm transfer takes a new session only with a token minted since.
  const gate = createStreamGate({ key: tokenKey, calls: runtime.deps.calls, purpose: 'relay', mintedNotBefore: (sid) => runtime.parkedCall(sid)?.returnedAt });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * RELAY_MAX_MESSAGE_BYTES, perMessageDeflate: false });
  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = req.url ?? '';
    if (url.split('?')[0] !== RELAY_PATH) return; // another channel's upgrade
    const sig = req.headers['x-twilio-signature'];
    const ok = config.publicUrl !== null && validUpgrade(config.twilioAuthToken, typeof sig === 'string' ? sig : undefined, publicWsUrl(config.publicUrl, url));
    if (!ok) {
      metrics.webhookRejected.inc({ route: 'relay' });
      d.log.warn({ route: 'relay', reason: sig ? 'signature mismatch' : 'no signature' }, 'ConversationRelay upgrade refused');
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      new RelayConnection(ws, runtime, metrics, d.log, gate, config.relaySpeechMsPerChar);
    });
  };
  app.server.on('upgrade', onUpgrade);
  app.addHook('onClose', async () => {
    app.server.off('upgrade', onUpgrade);
    for (const ws of wss.clients) ws.terminate();
    await new Promise<void>((r) => wss.close(() => r()));
  });

  return {
    twiml(params) {
      const withToken = tokenKey ? { ...params, [STREAM_TOKEN_PARAM]: mintStreamToken(tokenKey, params.callSid!, 'relay') } : params;
      return relayTwiml(config, publicWsUrl(config.publicUrl!, RELAY_PATH), withToken, publicHttpUrl(config.publicUrl!, d.afterStreamPath));
    },
  };
}

/**
 * The flow speaks first (its greeting arrives as our first `text`), so no welcomeGreeting. Barge-in by speech or key
 * (interruptible="any"); keys reach the flow (dtmfDetection). Providers are named explicitly, per language too, since
 * Twilio's defaults changed over time.
 */
export function relayTwiml(config: Config, url: string, params: Record<string, string>, action: string): string {
  const r = new twilio.twiml.VoiceResponse();
  const voiceEn = config.relayVoices.en;
  const relay = r.connect({ action, method: 'POST' }).conversationRelay({
    url,
    language: RELAY_LANGUAGE.en,
    ttsProvider: config.relayTtsProvider,
    transcriptionProvider: config.relayTranscriptionProvider,
    ...(voiceEn ? { voice: voiceEn } : {}),
    interruptible: 'any',
    dtmfDetection: true,
  });
  for (const [lang, code] of Object.entries(RELAY_LANGUAGE)) {
    const voice = config.relayVoices[lang];
    relay.language({ code, ttsProvider: config.relayTtsProvider, transcriptionProvider: config.relayTranscriptionProvider, ...(voice ? { voice } : {}) });
  }
  for (const [name, value] of Object.entries(params)) {
    relay.parameter({ name, value: value.slice(0, Math.max(0, 499 - name.length)) });
  }
  return r.toString();
}
