// Live updates for the staff app: GET /api/events is a server-sent event stream of the firm's new and changed calls
// and intakes. EventSource cannot send an Authorization header, so the app first POSTs /api/events/ticket with its
// bearer token and opens /api/events?ticket=<one-minute ticket> (a JWT for another audience: useless as an access
// token, and expired long before a URL in a log could be replayed). A bearer header works too.
import type { ServerResponse } from 'node:http';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../app-deps.js';
import { EVENT_TICKET_TTL_S, requirePermission } from '../auth/plugin.js';
import { ChangeFeed } from './change-feed.js';
import { BEARER, NoQuery, PROTECTED_ERRORS } from './schemas.js';
import { principalOf } from './scope.js';

/** A comment line this often keeps proxies (nginx's 60 s proxy_read_timeout) from closing a quiet stream. */
export const HEARTBEAT_MS = 20_000;

const Ticket = Type.Object({ ticket: Type.String(), expiresIn: Type.Integer({ description: 'Seconds the ticket may wait before it is used' }) });
const EventsQuery = Type.Object({
  ticket: Type.Optional(Type.String({ maxLength: 2000, description: 'From POST /api/events/ticket (EventSource cannot send headers)' })),
}, { additionalProperties: false });

export interface EventsOptions extends AppDeps {
  /** How often the database is polled for changes; tests make it short. */
  eventPollMs?: number;
  /** How often a quiet stream gets a comment line (and the user is checked again). */
  eventHeartbeatMs?: number;
}

export async function eventRoutes(app: FastifyInstance, deps: EventsOptions): Promise<void> {
  const feed = new ChangeFeed(deps.db, deps.eventPollMs ?? 1000, (err) => deps.log.warn({ err }, 'event feed poll failed'));
  const open = new Set<ServerResponse>();
  const heartbeatMs = deps.eventHeartbeatMs ?? HEARTBEAT_MS;
  // Streams never end by themselves; without this, app.close() would wait for every open browser tab.
  app.addHook('preClose', async () => {
    feed.stop();
    for (const res of open) res.end();
  });

  app.post('/events/ticket', {
    preHandler: requirePermission('calls:read'),
    schema: { tags: ['calls'], summary: 'A one-minute ticket to open GET /api/events with', security: BEARER, querystring: NoQuery, response: { 200: Ticket, ...PROTECTED_ERRORS } },
  }, async (req) => {
    const p = principalOf(req);
    return { ticket: await app.hermesAuth.eventTickets.sign(p), expiresIn: EVENT_TICKET_TTL_S };
  });

  app.get<{ Querystring: Static<typeof EventsQuery> }>('/events', {
    preHandler: requirePermission('calls:read'),
    config: { eventTicket: true },
    schema: {
      tags: ['calls'], security: BEARER, querystring: EventsQuery, response: PROTECTED_ERRORS,
      summary: 'Server-sent events (text/event-stream): `call` and `intake` events as calls arrive and intakes change',
    },
  }, async (req, reply) => {
    const p = principalOf(req);
    reply.hijack();
    const res = reply.raw;
    // hijack() skips fastify's header writing; keep the security headers helmet already set.
    for (const [k, v] of Object.entries(reply.getHeaders())) if (v !== undefined) res.setHeader(k, v);
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // nginx would otherwise buffer the stream and deliver events in lumps.
      'x-accel-buffering': 'no',
    });
    res.write(`retry: 3000\nevent: ready\ndata: ${JSON.stringify({ tenantId: p.tenantId })}\n\n`);
    const unsubscribe = feed.subscribe(p.tenantId, (e) => res.write(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`));
    // The ticket was checked once, at connect; each heartbeat asks again, so a disabled user's stream ends within
    // HEARTBEAT_MS instead of running until they close the tab.
    const heartbeat = setInterval(() => {
      void app.hermesAuth.currentUser(p.userId).then((u) => {
        if (!u || u.tenantId !== p.tenantId) res.end();
        else res.write(': keep-alive\n\n');
      }, () => res.write(': keep-alive\n\n'));
    }, heartbeatMs);
    heartbeat.unref();
    open.add(res);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      open.delete(res);
    });
  });
}
