// The webhooks of a warm transfer. Twilio rings one on-call number at a time (warm-twiml.ts); the answering leg asks
// for the whisper (<Number url>) and reports its key (<Gather action>); the caller's <Dial action> reports how the
// leg ended. Not accepted: the next number rings; after the last one the caller's leg returns to a new
// <Connect><Stream> (a fresh stream token) and the parked conversation continues at the flow's on_no_answer. A call
// whose conversation this instance does not hold (a restart, another instance) gets a voicemail in its language.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallRuntime } from '../call/runtime.js';
import { sayTwiml } from './twiml.js';
import { recordingPath } from './transfer-fallback.js';
import { langOf, WARM_RESULT_PATH, WHISPER_KEY_PATH, WHISPER_PATH, warmDialTwiml, whisperKeyTwiml, whisperTwiml, type UrlOf } from './warm-twiml.js';
import type { Language } from '../flows/commands.js';

/** The caller's own call is over (hung up while it rang, or after talking): nothing to dial or resume. */
const CALL_OVER = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

interface WarmDeps {
  signed(req: FastifyRequest, reply: FastifyReply, route: string): boolean;
  runtime: CallRuntime;
  url: UrlOf;
  /** TwiML that reconnects the call to a new media stream (fresh token), or null when it cannot. */
  reconnect(callSid: string): Promise<string | null>;
  voicemail(recordActionPath: string, language: Language): string;
}

type Form = Record<string, string>;

export function registerWarmTransfer(app: FastifyInstance, d: WarmDeps): void {
  const step = (req: FastifyRequest): { i: number; language: Language } => {
    const q = req.query as Record<string, string | undefined>;
    return { i: Number(q.i ?? '0'), language: langOf(q.lang) };
  };

  app.post(WHISPER_PATH, async (req, reply) => {
    if (!d.signed(req, reply, 'whisper')) return reply;
    const body = req.body as Form;
    const { i, language } = step(req);
    // Only a call this instance holds has a whisper with the caller's name; anyone else hears a generic one.
    const parked = body.ParentCallSid ? d.runtime.parkedCall(body.ParentCallSid) : undefined;
    reply.type('text/xml');
    return whisperTwiml(parked?.warm.whisper ?? '', i, language, d.url);
  });

  app.post(WHISPER_KEY_PATH, async (req, reply) => {
    if (!d.signed(req, reply, 'whisper_key')) return reply;
    const body = req.body as Form;
    const accepted = body.Digits === '1';
    const parked = body.ParentCallSid ? d.runtime.parkedCall(body.ParentCallSid) : undefined;
    if (accepted && parked) parked.accepted = true;
    req.log.info({ callSid: body.ParentCallSid, leg: body.CallSid, accepted }, 'warm transfer whisper answered');
    reply.type('text/xml');
    return whisperKeyTwiml(accepted);
  });

  app.post(WARM_RESULT_PATH, async (req, reply) => {
    if (!d.signed(req, reply, 'warm_result')) return reply;
    const body = req.body as Form;
    const callSid = body.CallSid ?? '';
    const { i, language } = step(req);
    const parked = d.runtime.parkedCall(callSid);
    const log = req.log.child({ callSid });
    reply.type('text/xml');
    const bridged = body.DialBridged === 'true' || parked?.accepted === true;
    if (bridged || CALL_OVER.has(body.CallStatus ?? '')) {
      await d.runtime.endParked(callSid, bridged ? 'warm transfer connected' : 'caller hung up during the transfer');
      return sayTwiml([], { hangup: true });
    }
    if (!parked) {
      // Without the conversation (restart, another instance): the caller can still leave a message, in their language.
      log.warn({ dialStatus: body.DialCallStatus }, 'warm transfer result for a call not held here; taking a voicemail');
      return d.voicemail(recordingPath('', language), language);
    }
    const next = i + 1;
    if (next < parked.warm.numbers.length) {
      log.info({ dialStatus: body.DialCallStatus, step: next }, 'warm transfer not accepted; ringing the next number');
      return warmDialTwiml(parked.warm, next, d.url);
    }
    log.info({ dialStatus: body.DialCallStatus }, 'nobody accepted the warm transfer; the call returns to the flow');
    const twiml = await d.runtime.prepareReturn(callSid).then((ok) => (ok ? d.reconnect(callSid) : null)).catch((err: Error) => {
      log.error({ err: err.message }, 'call could not return to the flow');
      return null;
    });
    if (twiml) return twiml;
    await d.runtime.endParked(callSid, 'warm transfer unanswered; voicemail');
    return d.voicemail(recordingPath(parked.warm.numbers[0] ?? '', language), language);
  });
}
