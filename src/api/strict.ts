// Strict input on the admin scope (/auth/*, /api/*): nothing a client sends is ignored. Every route declares its
// querystring (and body, and params when the URL has any) with additionalProperties false, checked at registration so
// a new route cannot forget; a route without a body schema takes no body; JSON bodies whose keys could reach an object
// prototype (__proto__, constructor.prototype) are refused with a message that says so, not "invalid JSON"; no field
// may hold a NUL character.
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { InputError } from './errors.js';

type JsonSchema = { additionalProperties?: unknown; properties?: Record<string, unknown> } | undefined;

const isAdminUrl = (url: string) => url.startsWith('/api/') || url.startsWith('/auth/');

/** Throws at registration when an admin route could let an unknown field through. */
export function checkStrictSchemas(route: RouteOptions): void {
  if (!isAdminUrl(route.url)) return;
  const schema = (route.schema ?? {}) as Record<string, JsonSchema>;
  const where = `${String(route.method)} ${route.url}`;
  const strict = (part: string, s: JsonSchema) => {
    if (s && s.additionalProperties !== false) throw new Error(`${where}: the ${part} schema needs additionalProperties: false (unknown fields are refused, never dropped)`);
  };
  if (!schema.querystring) throw new Error(`${where}: every admin route declares its querystring (NoQuery when it takes none)`);
  strict('querystring', schema.querystring);
  strict('body', schema.body);
  if (route.url.includes('/:') && !schema.params) throw new Error(`${where}: a route with URL parameters declares a params schema`);
  strict('params', schema.params);
}

/** preValidation: a route that declares no body takes none; `{}` (what some clients always send) is accepted. */
export async function refuseUndeclaredBody(req: FastifyRequest): Promise<void> {
  if ((req.routeOptions.schema as { body?: unknown } | undefined)?.body !== undefined) return;
  const body: unknown = req.body;
  if (body === undefined || body === null || body === '') return;
  if (typeof body === 'object' && !Array.isArray(body)) {
    const keys = Object.keys(body);
    if (keys.length === 0) return;
    const paths = keys.map((k) => `body.${k}`);
    throw new InputError(paths[0]!, 'is an unknown field', `unknown field${keys.length > 1 ? 's' : ''} ${paths.join(', ')} (this route takes no body)`);
  }
  throw new InputError('body', 'is not accepted: this route takes no body');
}

/** Path of the first string (value or key) holding a NUL character, or null. */
export function nulPath(value: unknown, root: string): string | null {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\0')) return path;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${path}[${i}]`]));
      continue;
    }
    for (const [k, item] of Object.entries(v)) {
      if (k.includes('\0')) return `${path}.${JSON.stringify(k)}`;
      stack.push([item, `${path}.${k}`]);
    }
  }
  return null;
}

/**
 * preValidation: no admin field accepts a NUL character. PostgreSQL cannot store or compare one in text (the query
 * fails, which would be a 500), and in a name it is the classic way to cut a path short.
 */
export async function refuseNul(req: FastifyRequest): Promise<void> {
  const path = nulPath(req.params, 'params') ?? nulPath(req.query, 'querystring') ?? nulPath(req.body, 'body');
  if (path) throw new InputError(path, 'contains a NUL character (\\u0000), which no field accepts');
}

/** Path of the first key that could reach a prototype, as secure-json-parse defines them, or null. */
export function prototypeKey(value: unknown): string | null {
  const stack: [unknown, string][] = [[value, 'body']];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (Array.isArray(v)) {
      v.forEach((item, i) => stack.push([item, `${path}[${i}]`]));
      continue;
    }
    const o = v as Record<string, unknown>;
    if (Object.hasOwn(o, '__proto__')) return `${path}.__proto__`;
    const c = Object.hasOwn(o, 'constructor') ? o.constructor : undefined;
    if (c !== null && typeof c === 'object' && Object.hasOwn(c, 'prototype')) return `${path}.constructor.prototype`;
    for (const k of Object.keys(o)) stack.push([o[k], `${path}.${k}`]);
  }
  return null;
}

/**
 * The admin scope's JSON parser. JSON.parse makes "__proto__" an own property (it does not change the prototype),
 * and the scan below refuses such bodies before any code can merge or spread them. Fastify's own parser does the same
 * check but answers "Body is not valid JSON", which sends a client looking for a syntax error that is not there.
 */
export function strictJsonParser(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, text, done) => {
    const raw = String(text);
    if (raw.trim() === '') return done(new InputError('body', 'is empty; send a JSON object, or no content-type when the route takes no body'), undefined);
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (err) {
      return done(new InputError('body', `is not valid JSON (${(err as Error).message})`), undefined);
    }
    const bad = prototypeKey(parsed);
    if (bad) return done(new InputError(bad, 'is not allowed: "__proto__" and "constructor.prototype" keys could change object prototypes'), undefined);
    done(null, parsed);
  });
}
