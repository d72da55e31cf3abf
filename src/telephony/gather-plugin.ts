// The <Gather> channel's edge: POST /twilio/gather (signed, as every webhook) takes what Twilio heard at the last
// <Gather> (SpeechResult and Confidence, or Digits, or nothing on a timeout) and answers the next turn's TwiML;
// GET /twilio/gather/prompt serves a cached prompt's audio to <Play> from a URL that proves itself (gather-audio.ts).
// The first turn comes from the voice webhook (a number on the gather channel, or while a speech provider is down)
// or from <Connect action> (a Media Streams call whose provider failed at its start). A turn that cannot be run
// apologises in Twilio's voice and puts the caller through to the firm's main line, or to a voicemail.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { CallRuntime } from '../call/runtime.js';
import type { GatherInput } from '../call/gather-turn.js';
import type { StoredCall } from '../intake/calls-repo.js';
import type { Language } from '../flows/commands.js';
import { PHRASES } from '../flows/phrases.js';
import { GATHER_PATH, gatherTwiml } from './gather-twiml.js';
import { GATHER_PROMPT_PATH, muLawWav, readPromptPath } from './gather-audio.js';
import { dialActionPath, recordingPath } from './transfer-fallback.js';
import { dialTwiml, sayTwiml } from './twiml.js';
import type { UrlOf } from './warm-twiml.js';

export { GATHER_PATH } from './gather-twiml.js';

const CALL_OVER = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

export interface GatherEdge {
  /**
   * The first turn's TwiML for a call already stored (greeting, first question). `fallback`: why it was sent here
   * rather than to Media Streams (counted), or null for a number on the gather channel.
   */
  start(call: StoredCall, fallback: 'stt' | 'tts' | 'provider_down' | null): Promise<string>;
  /**
   * Twilio's final status for a call with no session here: a call on <Gather> ends as a hang-up (the conversation
   * hears it, the intake and call row get their outcome, as on Media Streams). False when the call is not on <Gather>.
   */
  hungUp(callSid: string): Promise<boolean>;
}

export interface GatherRouteDeps {
  signed(req: FastifyRequest, reply: FastifyReply, route: string): boolean;
  runtime: CallRuntime;
  url: UrlOf;
  key: Buffer | null;
  voicemail(recordActionPath: string, language: Language): string;
}

/** What the <Gather action> parameters say the caller did. */
export function gatherInput(body: Record<string, string | undefined>): GatherInput {
  const speech = (body.SpeechResult ?? '').trim();
  const digits = (body.Digits ?? '').replace(/[^0-9*#A-D]/g, '');
  if (speech) {
    const c = Number(body.Confidence);
    return { kind: 'speech', text: speech.slice(0, 4000), confidence: Number.isFinite(c) && c >= 0 && c <= 1 ? c : 0.5 };
  }
  if (digits) return { kind: 'digits', digits };
  return { kind: 'nothing' };
}

export function registerGather(app: FastifyInstance, d: GatherRouteDeps): GatherEdge {
  const { runtime } = d;
  const metrics = runtime.deps.metrics;
  const twiml = (plan: Parameters<typeof gatherTwiml>[0]) =>
    gatherTwiml(plan, { url: d.url, key: d.key, prompts: runtime.deps.prompts, dialAction: (to, language) => d.url(dialActionPath(to, language)) });

  /** The call cannot go on here: Twilio's voice apologises, then the main line or a voicemail. Never a bare hang-up. */
  async function fallback(call: StoredCall | null, language: Language): Promise<string> {
    const flow = call?.flowRef ? await runtime.deps.flows.get(call.flowRef).catch(() => null) : null;
    const main = flow?.mainNumber?.() ?? null;
    const sorry = [PHRASES.trouble[language]];
    if (main) return dialTwiml(main, sorry, d.url(dialActionPath(main, language)), language);
    return d.voicemail(recordingPath('', language), language);
  }

  async function turn(call: StoredCall, input: GatherInput, countCall: boolean, turnNo?: number): Promise<string> {
    const log = runtime.deps.log.child({ callSid: call.callSid, channel: 'gather' });
    const started = performance.now();
    try {
      const plan = await runtime.gather(call, input, { countCall, ...(turnNo !== undefined ? { turn: turnNo } : {}) });
      if (!plan) throw new Error('no <Gather> conversation for this call');
      metrics.turnLatency.observe({ stage: 'gather_webhook' }, performance.now() - started);
      return twiml(plan);
    } catch (err) {
      log.error({ err: (err as Error).message }, '<Gather> turn failed');
      return fallback(call, 'en');
    }
  }

  app.post(GATHER_PATH, async (req, reply) => {
    if (!d.signed(req, reply, 'gather')) return reply;
    const body = req.body as Record<string, string>;
    const callSid = body.CallSid ?? '';
    reply.type('text/xml');
    if (CALL_OVER.has(body.CallStatus ?? '')) return sayTwiml([], { hangup: true });
    const call = await runtime.deps.calls?.get(callSid).catch(() => null);
    // Not a call of ours, or one that has ended: nothing to carry on.
    if (!call || call.status !== 'in-progress' || call.outcome !== null || call.endedAt !== null) return sayTwiml([], { hangup: true });
    const q = (req.query ?? {}) as Record<string, string | undefined>;
    return turn(call, gatherInput(body), false, q.turn !== undefined ? Number(q.turn) : undefined);
  });

  app.get(GATHER_PROMPT_PATH, async (req, reply) => {
    const q = req.query as Record<string, unknown>;
    const named = d.key ? readPromptPath(d.key, q.p, q.s) : null;
    if (!named) {
      metrics.webhookRejected.inc({ route: 'gather_prompt' });
      return reply.code(403).type('text/plain').send('Forbidden');
    }
    const audio = runtime.deps.prompts?.get(named.voice, named.text);
    // Signed but not (or no longer) in this instance's cache: Twilio skips a failed <Play> and goes on (GUESS).
    if (!audio) return reply.code(404).type('text/plain').send('Not found');
    return reply.type('audio/wav').header('cache-control', 'private, max-age=600').send(muLawWav(audio));
  });

  return {
    start: (call, fallback) => {
      if (fallback) metrics.gatherFallbacks.inc({ reason: fallback });
      // A call that began on Media Streams was counted there; one answered here from its webhook is counted here.
      return turn(call, { kind: 'start' }, fallback !== 'stt' && fallback !== 'tts');
    },
    async hungUp(callSid) {
      if (!runtime.gatherable) return false;
      const call = await runtime.deps.calls?.get(callSid);
      if (!call || call.outcome !== null) return false;
      return (await runtime.gather(call, { kind: 'hangup' }, { countCall: false })) !== null;
    },
  };
}
