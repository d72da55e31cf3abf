// The parameters of every Twilio webhook, typed. A form body is parsed into strings, or into an array when a name
// repeats (CallSid=CA1&CallSid=CA2); code that reads `body.CallSid` as a string would then bind an array into the
// call row. Each webhook route gets its schema at registration (a /twilio route without one is refused), validation is
// attached rather than answered, and `signed()` in plugin.ts answers 400 naming the parameter, after the signature
// check, so an unsigned request still learns nothing but 403. Twilio sends parameters we do not read: they are allowed,
// as long as each is one string.
import { Type, type TObject, type TProperties, type TSchema } from '@sinclair/typebox';
import type { RouteOptions } from 'fastify';
import { DIAL_RESULT_PATH, RECORDING_PATH } from './transfer-fallback.js';
import { WARM_RESULT_PATH, WHISPER_KEY_PATH, WHISPER_PATH } from './warm-twiml.js';
import { INBOUND_SMS_PATH, RECORDING_STATUS_PATH } from './record-webhooks.js';

// plugin.ts owns these paths and imports this file; spelled here to avoid an import circle (a route whose path
// drifts from this table is refused at startup by typeWebhookParams, so the two cannot silently disagree).
const VOICE_PATH = '/twilio/voice';
const STATUS_PATH = '/twilio/status';
const AFTER_STREAM_PATH = '/twilio/after-stream';
const GATHER_PATH = '/twilio/gather';

const TEXT = '^[^\\u0000]*$';
const SID = '^CA[0-9A-Za-z]{1,64}$';
const RECORDING_SID = '^RE[0-9A-Za-z]{1,64}$';
// Empty is allowed: the handlers read an empty duration as unknown, and a final status must not be lost over it.
const DIGITS = '^\\d{0,9}$';
/** The words a refusal uses for each pattern. */
const FORMS: Record<string, string> = {
  [TEXT]: 'text without NUL characters', [SID]: 'CA followed by letters and digits', [RECORDING_SID]: 'RE followed by letters and digits', [DIGITS]: 'digits',
};

/**
 * Any parameter Twilio sends: one string of bounded length (long enough for a recording URL, a SIP header or a STIR/SHAKEN passport), without
 * NUL (PostgreSQL cannot store it in text).
 */
const Param = Type.String({ maxLength: 16_384, pattern: TEXT });
/** Twilio's call SIDs are CA + 32 hex digits. */
const CallSid = Type.String({ pattern: SID });
const Digits = Type.String({ pattern: DIGITS });

const params = <P extends TProperties>(p: P): TObject<P> => Type.Object(p, { additionalProperties: Param });

const call = { CallSid, From: Type.Optional(Param), To: Type.Optional(Param), CallStatus: Type.Optional(Param) };
const Lang = Type.Optional(Type.Union([Type.Literal('en'), Type.Literal('es')]));
const withDialled = params({ to: Type.Optional(Param), lang: Lang });
/** The warm transfer's step (which on-call number) and the caller's language ride in the query string. */
const warmStep = params({ i: Type.String({ pattern: '^\\d{1,2}$' }), lang: Lang });
/** The answering leg's requests name the caller's call as ParentCallSid. */
const childCall = { ...call, ParentCallSid: Type.Optional(Type.String({ pattern: SID })) };

/** Body and query schemas per webhook path. */
export const WEBHOOK_PARAMS: Readonly<Record<string, { body: TSchema; querystring: TSchema }>> = {
  [VOICE_PATH]: { body: params(call), querystring: params({}) },
  [STATUS_PATH]: { body: params({ ...call, CallDuration: Type.Optional(Digits) }), querystring: params({}) },
  [AFTER_STREAM_PATH]: { body: params(call), querystring: params({}) },
  /** <Gather action>: what the caller said (SpeechResult, Confidence 0-1) or pressed (Digits); all absent on a timeout. */
  [GATHER_PATH]: {
    body: params({ ...call, SpeechResult: Type.Optional(Param), Confidence: Type.Optional(Param), Digits: Type.Optional(Type.String({ pattern: '^[0-9*#A-Dw]{0,64}$' })) }),
    /** The turn the action answers (gather-turn.ts: a replayed request gets its answer again). */
    querystring: params({ turn: Type.Optional(Type.String({ pattern: '^\\d{1,6}$' })) }),
  },
  [DIAL_RESULT_PATH]: { body: params({ ...call, DialCallStatus: Type.Optional(Param) }), querystring: withDialled },
  [WARM_RESULT_PATH]: {
    body: params({ ...call, DialCallStatus: Type.Optional(Param), DialBridged: Type.Optional(Param), DialCallSid: Type.Optional(Param) }),
    querystring: warmStep,
  },
  [WHISPER_PATH]: { body: params(childCall), querystring: warmStep },
  [WHISPER_KEY_PATH]: { body: params({ ...childCall, Digits: Type.Optional(Param) }), querystring: warmStep },
  [RECORDING_STATUS_PATH]: {
    body: params({
      ...call, RecordingSid: Type.String({ pattern: RECORDING_SID }), RecordingStatus: Param, RecordingUrl: Type.Optional(Param),
      RecordingDuration: Type.Optional(Digits), RecordingChannels: Type.Optional(Param), ErrorCode: Type.Optional(Param),
    }),
    querystring: params({}),
  },
  /** An inbound text: no call, so no CallSid; Body may be empty (a picture message). */
  [INBOUND_SMS_PATH]: {
    body: params({ MessageSid: Param, From: Param, To: Type.Optional(Param), Body: Type.Optional(Param), OptOutType: Type.Optional(Param) }),
    querystring: params({}),
  },
  [RECORDING_PATH]: {
    body: params({ ...call, RecordingUrl: Type.Optional(Param), RecordingDuration: Type.Optional(Digits) }),
    querystring: withDialled,
  },
};

/** onRoute: every POST /twilio/* route validates its parameters with the schema above (refused at startup if none). */
export function typeWebhookParams(route: RouteOptions): void {
  if (!route.url.startsWith('/twilio/') || [route.method].flat().every((m) => m !== 'POST')) return;
  const schema = WEBHOOK_PARAMS[route.url];
  if (!schema) throw new Error(`POST ${route.url}: every Twilio webhook needs its parameter schema in src/telephony/webhook-params.ts`);
  route.schema = { ...route.schema, body: schema.body, querystring: schema.querystring };
  route.attachValidation = true;
}

interface AjvIssue {
  keyword?: string;
  instancePath?: string;
  params?: Record<string, unknown>;
}

/** One line naming the parameter that is wrong, for the 400 Twilio's debugger shows. */
export function webhookParamProblem(err: { validation?: unknown; validationContext?: string }, data: unknown): string {
  const issue = (Array.isArray(err.validation) ? err.validation[0] : undefined) as AjvIssue | undefined;
  const where = err.validationContext === 'querystring' ? 'query parameter' : 'parameter';
  if (!issue) return `${where}s are not valid`;
  const name = typeof issue.params?.missingProperty === 'string' ? issue.params.missingProperty : (issue.instancePath ?? '').split('/')[1] ?? '';
  if (!name) return `${where}s must be a form (name=value&...)`;
  const value = data !== null && typeof data === 'object' ? (data as Record<string, unknown>)[name] : undefined;
  if (issue.keyword === 'required') return `${where} ${name} is missing`;
  if (Array.isArray(value)) return `${where} ${name} is repeated (${value.length} values); Twilio sends each parameter once`;
  if (issue.keyword === 'type') return `${where} ${name} must be one text value`;
  if (issue.keyword === 'maxLength') return `${where} ${name} is too long`;
  const form = typeof issue.params?.pattern === 'string' ? FORMS[issue.params.pattern] : undefined;
  return `${where} ${name} is not in the form Twilio sends${form ? ` (${form})` : ''}`;
}
