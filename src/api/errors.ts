// The admin API's error shape: {error, message?, details?: [{path, message}]}. Validation failures name the field
// (body.status, querystring.limit) so a client can point at the input; server faults never leak internals.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

export interface FieldProblem {
  path: string;
  message: string;
}

interface AjvIssue {
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

/** body + /slots/0/name + {missingProperty: 'x'} -> body.slots[0].name.x */
export function fieldPath(context: string | undefined, issue: AjvIssue): string {
  const parts = (issue.instancePath ?? '').split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  if (typeof extra === 'string') parts.push(extra);
  let path = context ?? 'body';
  for (const p of parts) path += /^\d+$/.test(p) ? `[${p}]` : `.${p}`;
  return path;
}

export function apiErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err.validation) {
    const details: FieldProblem[] = err.validation.map((v) => {
      const issue = v as AjvIssue;
      const path = fieldPath(err.validationContext, issue);
      const allowed = issue.params?.allowedValues;
      const message = Array.isArray(allowed) ? `must be one of ${allowed.join(', ')}` : (issue.message ?? 'is invalid');
      return { path, message: issue.params?.additionalProperty ? 'is not an allowed field' : message };
    });
    return reply.code(400).send({ error: 'validation failed', message: details.map((d) => `${d.path} ${d.message}`).join('; '), details });
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: (STATUS_CODES[status] ?? 'bad request').toLowerCase(), message: err.message });
  }
  req.log.error({ err }, 'admin API request failed');
  return reply.code(500).send({ error: 'internal error', message: 'the request failed; see the server log' });
}
