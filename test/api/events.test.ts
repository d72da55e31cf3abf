// GET /api/events over a real socket: a one-minute ticket opens the stream (EventSource cannot send headers), a new
// call and an intake change arrive as events for that firm only, and an access token is not a ticket.
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiFoundation } from '../../src/api/foundation.js';
import { eventRoutes } from '../../src/api/events.js';
import { silentLogger } from '../../src/observability/logger.js';
import { apiWorld, tokenFor, type ApiWorld } from './helpers.js';
import { seedCall } from './seed.js';

function openStream(base: string, path: string): Promise<{ status: number; type: string | undefined; events: string[]; close(): void; onEnd(fn: () => void): void; next(match: RegExp, ms?: number): Promise<string> }> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, (res) => {
      const events: string[] = [];
      const waiters: (() => void)[] = [];
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buf += chunk;
        let i;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          events.push(buf.slice(0, i));
          buf = buf.slice(i + 2);
          waiters.splice(0).forEach((w) => w());
        }
      });
      resolve({
        status: res.statusCode ?? 0, type: res.headers['content-type'], events, close: () => req.destroy(), onEnd: (fn) => res.on('end', fn),
        next: (match, ms = 10_000) => new Promise((ok, fail) => {
          const t = setTimeout(() => fail(new Error(`no event matching ${match} in ${ms} ms; got ${JSON.stringify(events)}`)), ms);
          const check = () => {
            const hit = events.find((e) => match.test(e));
            if (hit) { clearTimeout(t); ok(hit); } else waiters.push(check);
          };
          check();
        }),
      });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /api/events', () => {
  let w: ApiWorld;
  let base: string;
  let staff: string;
  beforeAll(async () => {
    w = await apiWorld('sqlite');
    await w.app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(w.app.server.address() as AddressInfo).port}`;
    staff = await tokenFor(w.app, w.firmA.users.staff.email);
  });
  afterAll(async () => { await w?.close(); });

  const ticketFor = async (token: string) => (await w.app.inject({ method: 'POST', url: '/api/events/ticket', headers: { authorization: `Bearer ${token}` } })).json() as { ticket: string; expiresIn: number };

  it('streams the firm\'s new calls and intake changes to a ticket holder, and nothing of another firm', async () => {
    const t = await ticketFor(staff);
    expect(t.expiresIn).toBe(60);
    const s = await openStream(base, `/api/events?ticket=${encodeURIComponent(t.ticket)}`);
    try {
      expect(s.status).toBe(200);
      expect(s.type).toContain('text/event-stream');
      await s.next(/^retry: 3000\nevent: ready/);
      await seedCall(w.tdb.db, w.firmB.id, 'CB_live', { status: 'in-progress' });
      await seedCall(w.tdb.db, w.firmA.id, 'CA_live', { status: 'in-progress', intake: { status: 'partial' } });
      const call = await s.next(/event: call\n.*CA_live/);
      expect(JSON.parse(call.split('data: ')[1]!)).toMatchObject({ type: 'call', callSid: 'CA_live', status: 'in-progress' });
      await s.next(/event: intake\n.*CA_live/);
      expect(s.events.some((e) => e.includes('CB_live'))).toBe(false);
      // The same change is sent once, even though each poll looks back past the previous one.
      await new Promise((r) => setTimeout(r, 2500));
      expect(s.events.filter((e) => e.includes('event: call') && e.includes('CA_live'))).toHaveLength(1);
    } finally {
      s.close();
    }
  });

  it('refuses no ticket, a bad ticket and an access token used as a ticket', async () => {
    for (const q of ['', '?ticket=nonsense', `?ticket=${staff}`]) {
      const s = await openStream(base, `/api/events${q}`);
      s.close();
      expect(s.status, q).toBe(401);
    }
    const bad = await w.app.inject({ method: 'GET', url: '/api/events?ticket=x&since=1' });
    expect(bad.statusCode).toBe(400);
  });

  it('ends the stream of a user who is disabled while it is open', async () => {
    // A second app with only the event routes and a short heartbeat (the user is checked again at each one).
    const deps = { config: w.config, log: silentLogger(), metrics: w.metrics, db: w.tdb.db };
    const small = Fastify();
    await small.register(apiFoundation, deps);
    await small.register(eventRoutes, { ...deps, eventHeartbeatMs: 200, prefix: '/api' });
    await small.listen({ port: 0, host: '127.0.0.1' });
    try {
      const smallBase = `http://127.0.0.1:${(small.server.address() as AddressInfo).port}`;
      const viewer = await tokenFor(w.app, w.firmA.users.viewer.email);
      const t = (await small.inject({ method: 'POST', url: '/api/events/ticket', headers: { authorization: `Bearer ${viewer}` } })).json() as { ticket: string };
      const s = await openStream(smallBase, `/api/events?ticket=${encodeURIComponent(t.ticket)}`);
      await s.next(/event: ready/);
      await s.next(/^: keep-alive/);
      const ended = new Promise<void>((resolve) => s.onEnd(resolve));
      await w.tdb.db('users').where({ id: w.firmA.users.viewer.id }).update({ disabled: true });
      await ended;
    } finally {
      await small.close();
    }
  });
});
