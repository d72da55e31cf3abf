// GET /api/flows/:flowId/versions/:version/graph draws a stored version of the firm's flow as SVG; another firm's
// version is "not found".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiWorld, tokenFor, validFlow, type ApiWorld } from './helpers.js';

describe('flow graph', () => {
  let w: ApiWorld;
  let owner: string;
  beforeAll(async () => {
    w = await apiWorld('sqlite');
    owner = await tokenFor(w.app, w.firmA.users.owner.email);
    const up = await w.app.inject({ method: 'POST', url: '/api/flows', headers: { authorization: `Bearer ${owner}` }, payload: { yaml: validFlow(4) } });
    expect(up.statusCode).toBe(201);
  });
  afterAll(async () => { await w?.close(); });

  it('returns the SVG of a stored version with its steps, to any role that reads flows', async () => {
    const staff = await tokenFor(w.app, w.firmA.users.staff.email);
    const r = await w.app.inject({ method: 'GET', url: '/api/flows/intake/versions/4/graph', headers: { authorization: `Bearer ${staff}` } });
    expect(r.statusCode).toBe(200);
    const g = r.json();
    expect(g).toMatchObject({ flowId: 'intake', version: '4' });
    expect(g.svg).toMatch(/^<svg|<\?xml/);
    expect(g.svg).toContain('hello');
    expect(g.svg).toContain('bye');
  });

  it('answers 404 for a version of another firm or one that does not exist', async () => {
    const other = await tokenFor(w.app, w.firmB.users.owner.email);
    expect((await w.app.inject({ method: 'GET', url: '/api/flows/intake/versions/4/graph', headers: { authorization: `Bearer ${other}` } })).statusCode).toBe(404);
    expect((await w.app.inject({ method: 'GET', url: '/api/flows/intake/versions/9/graph', headers: { authorization: `Bearer ${owner}` } })).statusCode).toBe(404);
  });
});
