// The admin API's error shape: {error, message?, details?: [{path, message}]}. Validation failures name the field
// (body.status, querystring.limit) so a client can point at the input; an unknown field is refused by name, never
// dropped; server faults never leak internals.
import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { patternRule } from './schemas.js';

export interface FieldProblem {
  path: string;
  message: string;
}

/** A 400 about one field that a route, the JSON parser or the strict-input hook raises itself. */
export class InputError extends Error {
  readonly statusCode = 400;
  constructor(readonly path: string, readonly problem: string, message = `${path} ${problem}`) {
    super(message);
    this.name = 'InputError';
  }
}

interface AjvIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

type Part = 'body' | 'querystring' | 'params' | 'headers';

/** body + /slots/0/name + {missingProperty: 'x'} -> body.slots[0].name.x */
export function fieldPath(context: string | undefined, issue: AjvIssue): string {
  const parts = (issue.instancePath ?? '').split('/').filter(Boolean).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const extra = issue.params?.missingProperty ?? issue.params?.additionalProperty;
  if (typeof extra === 'string') parts.push(extra);
  let path = context ?? 'body';
  for (const p of parts) path += /^\d+$/.test(p) ? `[${p}]` : `.${p}`;
  return path;
}

const dataOf = (req: FastifyRequest, part: Part): unknown =>
  part === 'querystring' ? req.query : part === 'params' ? req.params : part === 'headers' ? req.headers : req.body;

function schemaOf(req: FastifyRequest, part: Part): { properties?: Record<string, unknown> } | undefined {
  return (req.routeOptions.schema as Partial<Record<Part, { properties?: Record<string, unknown> }>> | undefined)?.[part];
}

/**
 * ajv stops at the first unknown field (allErrors stays off: it is a DoS risk); at the top level every unknown field
 * is listed, with the fields the route does take, so one answer tells the client everything to fix.
 */
function unknownFields(req: FastifyRequest, part: Part, issue: AjvIssue): { details: FieldProblem[]; message: string } {
  const schema = schemaOf(req, part);
  const data = dataOf(req, part);
  const known = Object.keys(schema?.properties ?? {});
  const topLevel = !issue.instancePath && data !== null && typeof data === 'object' && schema;
  const keys = topLevel ? Object.keys(data).filter((k) => !known.includes(k)) : [String(issue.params?.additionalProperty)];
  const details = keys.map((k) => ({ path: topLevel ? `${part}.${k}` : fieldPath(part, { ...issue, params: { additionalProperty: k } }), message: 'is an unknown field' }));
  const takes = !topLevel ? '' : known.length ? ` (the ${part} takes ${known.join(', ')})` : ` (this route takes no ${part === 'querystring' ? 'query parameters' : part})`;
  return { details, message: `unknown field${keys.length > 1 ? 's' : ''} ${details.map((d) => d.path).join(', ')}${takes}` };
}

function validationProblem(req: FastifyRequest, part: Part, issue: AjvIssue): FieldProblem {
  const path = fieldPath(part, issue);
  const allowed = issue.params?.allowedValues;
  if (Array.isArray(allowed)) return { path, message: `must be one of ${allowed.join(', ')}` };
  if (issue.keyword === 'pattern') return { path, message: patternRule(issue.params?.pattern) ?? issue.message ?? 'is invalid' };
  // A repeated query parameter (?status=a&status=b) arrives as an array; "must be string" would not say why.
  const top = (issue.instancePath ?? '').split('/').filter(Boolean);
  const data = dataOf(req, part);
  if (issue.keyword === 'type' && top.length === 1 && data && typeof data === 'object' && Array.isArray((data as Record<string, unknown>)[top[0]!])) {
    return { path, message: 'is given more than once; give it once' };
  }
  return { path, message: issue.message ?? 'is invalid' };
}

export function apiErrorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (err instanceof InputError) {
    return reply.code(400).send({ error: 'validation failed', message: err.message, details: [{ path: err.path, message: err.problem }] });
  }
  if (err.validation) {
    const part = (err.validationContext ?? 'body') as Part;
    const issues = err.validation as AjvIssue[];
    const extra = issues.find((i) => i.keyword === 'additionalProperties');
    if (extra) {
      const u = unknownFields(req, part, extra);
      return reply.code(400).send({ error: 'validation failed', message: u.message, details: u.details });
    }
    const details = issues.map((i) => validationProblem(req, part, i));
    return reply.code(400).send({ error: 'validation failed', message: details.map((d) => `${d.path} ${d.message}`).join('; '), details });
  }
  const status = err.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    return reply.code(status).send({ error: (STATUS_CODES[status] ?? 'bad request').toLowerCase(), message: err.message });
  }
  req.log.error({ err }, 'admin API request failed');
  return reply.code(500).send({ error: 'internal error', message: 'the request failed; see the server log' });
}
