// <Connect action>: Twilio asks what next once a media stream has closed, and the request may reach any instance.
// In order: the after-stream plan the session stored (transfer, goodbye); else, for a call that is still live, a
// resume: the stream claim is freed and a new <Connect><Stream> with a fresh stream token carries the conversation on
// from its snapshot (call/resume.ts); else the flow's fallback: Twilio's voice apologises and puts the caller through
// to the firm's main line (a voicemail when nobody answers) or straight to a voicemail. Never a bare hang-up for a
// live call.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallRuntime } from '../call/runtime.js';
import type { StoredCall } from '../intake/calls-repo.js';
import { MAX_RESUMES } from '../call/resume.js';
import type { Language } from '../flows/commands.js';
import { PHRASES } from '../flows/phrases.js';
import { dialActionPath, recordingPath } from './transfer-fallback.js';
import { dialTwiml, sayTwiml } from './twiml.js';
import { warmDialTwiml, type UrlOf } from './warm-twiml.js';

export const AFTER_STREAM_PATH = '/twilio/after-stream';

/** Twilio's CallStatus values after which nothing is dialled or streamed. */
const CALL_OVER = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);
/** A session of the call still closing on this instance (its socket just dropped) gets this long to store its state. */
const LOCAL_CLOSE_WAIT_MS = 3000;

interface ResumeDeps {
  signed(req: FastifyRequest, reply: FastifyReply, route: string): boolean;
  runtime: CallRuntime;
  url: UrlOf;
  /** <Connect><Stream> with a fresh stream token for the call (`resumed` names why), or null without a token key. */
  streamFor(callSid: string, resumed: string, call?: StoredCall): Promise<string | null>;
  voicemail(recordActionPath: string, language: Language): string;
  /** The call goes on over <Gather> (its speech provider failed at the start): the first turn's TwiML. */
  gather(call: StoredCall, reason: 'stt' | 'tts'): Promise<string>;
}

export function registerAfterStream(app: FastifyInstance, d: ResumeDeps): void {
  const { runtime } = d;
  app.post(AFTER_STREAM_PATH, async (req, reply) => {
    if (!d.signed(req, reply, 'after_stream')) return reply;
    const body = req.body as Record<string, string>;
    const callSid = body.CallSid ?? '';
    const log = req.log.child({ callSid });
    reply.type('text/xml');
    await closedHere(runtime, callSid);
    const plan = await runtime.takeAfterStream(callSid);
    if (plan?.warm) return warmDialTwiml(plan.warm, 0, d.url, plan.lines);
    if (plan?.dial) return dialTwiml(plan.dial, plan.lines, d.url(dialActionPath(plan.dial, plan.language)), plan.language);
    if (plan?.gather) {
      const call = await runtime.deps.calls?.get(callSid).catch(() => null);
      if (call) {
        log.warn({ reason: plan.gather }, 'speech provider unavailable at the call start: the call goes on over <Gather>');
        return d.gather(call, plan.gather);
      }
    }
    if (plan) return sayTwiml(plan.lines, { hangup: true, ...(plan.language ? { language: plan.language } : {}) });
    if (CALL_OVER.has(body.CallStatus ?? '')) return sayTwiml([], { hangup: true });

    const resumes = runtime.deps.resumes;
    const call = await runtime.deps.calls?.get(callSid).catch(() => null);
    if (!call || call.status !== 'in-progress' || call.outcome !== null || call.endedAt !== null) {
      // Not a call of ours, or one that ended: nothing to carry on.
      return sayTwiml([], { hangup: true });
    }
    const began = resumes ? await resumes.beginResume(callSid, new Date(), MAX_RESUMES).catch((err: Error) => {
      log.error({ err: err.message }, 'resume could not be started');
      return false;
    }) : false;
    const twiml = began ? await d.streamFor(callSid, 'stream-lost', call) : null;
    if (twiml) {
      runtime.deps.metrics.callsResumed.inc();
      log.info('stream lost without the call ending; a new stream carries it on');
      return twiml;
    }
    const language = await languageOf(runtime, callSid);
    const flow = call.flowRef ? await runtime.deps.flows.get(call.flowRef).catch(() => null) : null;
    const main = flow?.mainNumber?.() ?? null;
    log.warn({ resumable: began, main: main !== null }, 'stream lost and the call cannot be resumed; the flow fallback takes it');
    const sorry = [PHRASES.trouble[language]];
    if (main) return dialTwiml(main, sorry, d.url(dialActionPath(main, language)), language);
    return d.voicemail(recordingPath('', language), language);
  });
}

/** The call's session on this instance, if any, has finished storing what it had (its socket closed just now). */
async function closedHere(runtime: CallRuntime, callSid: string): Promise<void> {
  const deadline = Date.now() + LOCAL_CLOSE_WAIT_MS;
  while (runtime.sessions.has(callSid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
}

async function languageOf(runtime: CallRuntime, callSid: string): Promise<Language> {
  const s = await runtime.deps.resumes?.snapshot(callSid).catch(() => null);
  const lang = (s?.snapshot as { language?: unknown } | undefined)?.language;
  return lang === 'es' ? 'es' : 'en';
}
