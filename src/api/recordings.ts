// A call's recording: its state on GET /api/calls/:callSid (`recording`), and GET /api/calls/:callSid/recording, which
// streams the audio from Twilio (fetched with our credentials, so the browser never needs them) to a signed-in user
// who may read the call. Tenant-scoped like the call: another firm's recording answers 404.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import type { Db } from '../db/knex.js';
import { requirePermission } from '../auth/plugin.js';
import { recordingOfCall, RECORDING_STATUSES } from '../intake/recordings-repo.js';
import { createTwilioRecordings, RecordingFetchError, type TwilioRecordings } from '../integrations/recordings.js';
import { BEARER, PROTECTED_ERRORS } from './schemas.js';
import { tenantOf } from './scope.js';

export const CallRecording = Type.Object({
  status: Type.Union(RECORDING_STATUSES.map((s) => Type.Literal(s)), { description: 'in-progress while the call is recorded; deleted after the retention period or an erasure' }),
  durationSeconds: Type.Union([Type.Integer(), Type.Null()]),
  mediaPath: Type.String({ description: 'GET it with the bearer token for the audio (completed recordings only)' }),
});

export const recordingMediaPath = (callSid: string) => `/api/calls/${encodeURIComponent(callSid)}/recording`;

export async function recordingView(db: Db, callSid: string): Promise<Static<typeof CallRecording> | null> {
  const r = await recordingOfCall(db, callSid);
  return r ? { status: r.status, durationSeconds: r.durationSeconds, mediaPath: recordingMediaPath(callSid) } : null;
}

const Params = Type.Object({ callSid: Type.String({ minLength: 1, maxLength: 64 }) }, { additionalProperties: false });
const Query = Type.Object({ format: Type.Optional(Type.Union([Type.Literal('mp3'), Type.Literal('wav')], { description: 'mp3 (default) or wav' })) }, { additionalProperties: false });

export async function recordingRoutes(app: FastifyInstance, deps: AppDeps & { recordings?: TwilioRecordings }): Promise<void> {
  const { db } = deps;
  const twilio = deps.recordings ?? createTwilioRecordings(deps.config);

  app.get<{ Params: Static<typeof Params>; Querystring: Static<typeof Query> }>('/calls/:callSid/recording', {
    preHandler: requirePermission('calls:read'),
    schema: { tags: ['calls'], summary: "The call's recording (audio/mpeg or audio/x-wav), streamed from Twilio", security: BEARER, params: Params, querystring: Query, response: { ...PROTECTED_ERRORS } },
  }, async (req, reply) => {
    const call = (await db('calls').where({ call_sid: req.params.callSid, tenant_id: tenantOf(req) }).first('call_sid')) as unknown;
    const rec = call ? await recordingOfCall(db, req.params.callSid) : null;
    if (!rec) return reply.code(404).send({ error: 'not found', message: 'no recording for this call' });
    if (rec.status !== 'completed') return reply.code(404).send({ error: 'not found', message: `the recording is ${rec.status}` });
    const controller = new AbortController();
    req.raw.on('close', () => controller.abort());
    let media;
    try {
      media = await twilio.media(rec.recordingSid, req.query.format ?? 'mp3', controller.signal);
    } catch (err) {
      req.log.warn({ callSid: req.params.callSid, err: (err as Error).message }, 'recording media not fetched');
      return reply.code(502).send({ error: 'bad gateway', message: err instanceof RecordingFetchError ? err.message : 'Twilio could not be reached for the recording' });
    }
    if (!media) return reply.code(404).send({ error: 'not found', message: 'Twilio no longer has this recording' });
    reply.type(media.contentType).header('cache-control', 'private, no-store');
    if (media.contentLength !== null) reply.header('content-length', media.contentLength);
    return reply.send(media.body);
  });
}
