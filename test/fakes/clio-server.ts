// A local Clio (Manage API v4 + OAuth token endpoint + Grow lead inbox) speaking the wire format of
// ../../../shared/reference/clio.md: .json paths, {"data":...} bodies, `fields` selection (id and etag by default),
// bearer tokens that expire (401 invalid_token), 422 validation errors, 429 with Retry-After past 50 requests per
// minute per token, tasks (tasks.json, users/who_am_i.json for the assignee; clio-tasks.md), and injectable failures (status codes, Retry-After, hanging requests, "created but answered 500").
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
  token: string | null;
}

export interface Failure {
  status?: number;
  retryAfterS?: number;
  /** Never answer (the client must time out). */
  hang?: boolean;
  /** Do the work, then answer with `status` anyway (the client cannot know it succeeded). */
  afterCommit?: boolean;
}

type Rec = Record<string, unknown> & { id: number };

export interface ClioFakeOptions {
  clientId?: string;
  clientSecret?: string;
  /** Clock for token expiry and the rate limit (defaults to real time). */
  now?: () => number;
  accessTokenTtlS?: number;
  /** Requests per minute per token before 429 (Clio: about 50). */
  rateLimitPerMin?: number;
  practiceAreas?: string[];
}

export class ClioFake {
  readonly requests: FakeRequest[] = [];
  readonly contacts: Rec[] = [];
  readonly matters: Rec[] = [];
  readonly notes: Rec[] = [];
  readonly communications: Rec[] = [];
  readonly tasks: Rec[] = [];
  /** Users of the Clio account; the first is the one every token belongs to (users/who_am_i.json). */
  readonly users: Rec[] = [{ id: 7, name: 'Alex Rivera', email: 'alex@rivera-law.example' }];
  readonly practiceAreas: Rec[];
  readonly growLeads: Record<string, unknown>[] = [];
  /** Decides a failure per request; null lets it through. */
  failure: (req: FakeRequest) => Failure | null = () => null;
  readonly tokens = new Map<string, { expiresAt: number }>();
  readonly refreshTokens = new Set<string>();
  readonly codes = new Map<string, string>();
  growToken = 'grow-token';
  /** Requests refused by the per-token rate limit. */
  rateLimited = 0;
  private seq = 100;
  private readonly sent = new Map<string, number[]>();
  private server: Server | null = null;
  private readonly hanging = new Set<ServerResponse>();
  url = '';

  constructor(private readonly o: ClioFakeOptions = {}) {
    this.practiceAreas = (o.practiceAreas ?? ['Personal Injury', 'Family', 'Criminal Defense', 'Immigration', 'Estate Planning']).map((name) => ({ id: ++this.seq, name }));
  }

  get clientId() {
    return this.o.clientId ?? 'clio-client';
  }
  get clientSecret() {
    return this.o.clientSecret ?? 'clio-secret';
  }
  private now() {
    return this.o.now ? this.o.now() : Date.now();
  }

  /** Issues a token pair directly (as if the firm had connected). */
  issueTokens(ttlS = this.o.accessTokenTtlS ?? 30 * 24 * 3600): { access_token: string; refresh_token: string; expires_in: number } {
    const access = `at-${randomBytes(8).toString('hex')}`;
    const refresh = `rt-${randomBytes(8).toString('hex')}`;
    this.tokens.set(access, { expiresAt: this.now() + ttlS * 1000 });
    this.refreshTokens.add(refresh);
    return { access_token: access, refresh_token: refresh, expires_in: ttlS };
  }

  /** A one-time authorization code, as Clio would append to the redirect. */
  issueCode(redirectUri: string): string {
    const code = `code-${randomBytes(6).toString('hex')}`;
    this.codes.set(code, redirectUri);
    return code;
  }

  expireAllTokens(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }

  private send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(body === undefined ? '' : JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://x');
    const ctype = String(req.headers['content-type'] ?? '');
    let body: unknown = null;
    try {
      body = raw ? (ctype.includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw)) : JSON.parse(raw)) : null;
    } catch {
      return this.send(res, 400, { error: { type: 'BadRequest', message: 'malformed JSON' } });
    }
    const auth = String(req.headers.authorization ?? '');
    const fr: FakeRequest = { method: req.method ?? 'GET', path: u.pathname, query: u.searchParams, body, token: auth.startsWith('Bearer ') ? auth.slice(7) : null };
    this.requests.push(fr);

    const f = this.failure(fr);
    if (f?.hang) {
      this.hanging.add(res);
      return;
    }
    if (f && !f.afterCommit) return this.send(res, f.status ?? 500, { error: { type: 'ServerError', message: 'injected failure' } }, f.retryAfterS !== undefined ? { 'retry-after': String(f.retryAfterS) } : {});

    let status: number;
    let out: unknown;
    if (fr.path === '/oauth/token' && fr.method === 'POST') [status, out] = this.token(body as Record<string, string>);
    else if (fr.path === '/inbox_leads' && fr.method === 'POST') [status, out] = this.grow(body as Record<string, unknown>);
    else if (fr.path.startsWith('/api/v4/')) {
      const t = fr.token ? this.tokens.get(fr.token) : undefined;
      if (!t || t.expiresAt <= this.now()) return this.send(res, 401, { error: 'invalid_token', error_description: 'The access token is invalid or has expired' });
      const limited = this.rateLimit(fr.token!);
      if (limited) this.rateLimited++;
      if (limited) return this.send(res, 429, { error: { type: 'RateLimited', message: 'Too many requests' } }, { 'retry-after': String(limited) });
      [status, out] = this.api(fr);
    } else [status, out] = [404, { error: { type: 'NotFound', message: `no route ${fr.path}` } }];
    if (f?.afterCommit) return this.send(res, f.status ?? 500, { error: { type: 'ServerError', message: 'injected failure after commit' } });
    this.send(res, status, out);
  }

  private rateLimit(token: string): number | null {
    const now = this.now();
    const recent = (this.sent.get(token) ?? []).filter((x) => x > now - 60_000);
    if (recent.length >= (this.o.rateLimitPerMin ?? 50)) {
      this.sent.set(token, recent);
      return Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
    }
    recent.push(now);
    this.sent.set(token, recent);
    return null;
  }

  private token(b: Record<string, string>): [number, unknown] {
    if (b.client_id !== this.clientId || b.client_secret !== this.clientSecret) return [401, { error: 'invalid_client', error_description: 'Client authentication failed' }];
    if (b.grant_type === 'authorization_code') {
      const redirect = this.codes.get(b.code ?? '');
      if (!redirect || redirect !== b.redirect_uri) return [400, { error: 'invalid_grant', error_description: 'The authorization code is invalid' }];
      this.codes.delete(b.code!);
      return [200, { token_type: 'bearer', ...this.issueTokens() }];
    }
    if (b.grant_type === 'refresh_token') {
      if (!this.refreshTokens.has(b.refresh_token ?? '')) return [400, { error: 'invalid_grant', error_description: 'The refresh token is invalid' }];
      // Manage refresh tokens do not rotate: only a new access token comes back.
      const t = this.issueTokens();
      this.refreshTokens.delete(t.refresh_token);
      return [200, { token_type: 'bearer', access_token: t.access_token, expires_in: t.expires_in }];
    }
    return [400, { error: 'unsupported_grant_type' }];
  }

  private grow(b: Record<string, unknown>): [number, unknown] {
    if (b?.inbox_lead_token !== this.growToken) return [401, { error: 'invalid inbox_lead_token' }];
    const lead = b.inbox_lead as Record<string, unknown> | undefined;
    if (!lead?.from_first && !lead?.from_last) return [422, { error: 'from_first or from_last is required' }];
    this.growLeads.push(lead);
    return [201, { inbox_lead: { id: ++this.seq, ...lead } }];
  }

  private api(r: FakeRequest): [number, unknown] {
    const name = r.path.slice('/api/v4/'.length).replace(/\.json$/, '');
    if (name === 'users/who_am_i' && r.method === 'GET') return [200, { data: this.select(this.users[0]!, r.query.get('fields')) }];
    const table = ({ contacts: this.contacts, matters: this.matters, notes: this.notes, communications: this.communications, tasks: this.tasks, users: this.users, practice_areas: this.practiceAreas } as Record<string, Rec[]>)[name];
    if (!table) return [404, { error: { type: 'NotFound', message: `no resource ${name}` } }];
    if (r.method === 'GET') {
      let rows = table.slice();
      const q = r.query.get('query')?.toLowerCase();
      if (q) rows = rows.filter((x) => this.searchText(name, x).includes(q) || (q.replace(/\D/g, '').length >= 7 && this.searchText(name, x).replace(/\D/g, '').includes(q.replace(/\D/g, ''))));
      for (const [param, field] of [['client_id', 'client'], ['matter_id', 'matter'], ['contact_id', 'contact']] as const) {
        const v = r.query.get(param);
        if (v) rows = rows.filter((x) => (x[field] as { id?: number } | undefined)?.id === Number(v));
      }
      // status may list several (status=open,pending); tasks and matters both carry one.
      const status = r.query.get('status');
      if (status) rows = rows.filter((x) => status.split(',').includes(String(x.status)));
      if (r.query.get('type')) rows = rows.filter((x) => x.type === r.query.get('type'));
      if (r.query.get('name')) rows = rows.filter((x) => String(x.name).toLowerCase().includes(r.query.get('name')!.toLowerCase()));
      const limit = Math.min(200, Number(r.query.get('limit') ?? 200));
      return [200, { data: rows.slice(0, limit).map((x) => this.select(x, r.query.get('fields'))), meta: { paging: {}, records: rows.length } }];
    }
    if (r.method !== 'POST' || name === 'practice_areas' || name === 'users') return [405, { error: { type: 'MethodNotAllowed', message: r.method } }];
    const data = (r.body as { data?: Record<string, unknown> } | null)?.data;
    if (!data) return [422, { error: { type: 'ValidationError', message: 'data is required' } }];
    const problem = this.validate(name, data);
    if (problem) return [422, { error: { type: 'ValidationError', message: problem } }];
    const rec: Rec = { ...data, id: ++this.seq, etag: `"${randomBytes(4).toString('hex')}"`, created_at: new Date(this.now()).toISOString() };
    if (name === 'contacts') {
      rec.name = [data.first_name, data.middle_name, data.last_name].filter(Boolean).join(' ');
      rec.primary_email_address = (data.email_addresses as { address: string }[] | undefined)?.[0]?.address ?? null;
      rec.primary_phone_number = (data.phone_numbers as { number: string }[] | undefined)?.[0]?.number ?? null;
    }
    if (name === 'matters') {
      const client = this.contacts.find((c) => c.id === (data.client as { id: number }).id)!;
      rec.client = { id: client.id, name: client.name };
      rec.display_number = `0000${rec.id}`.slice(-5);
    }
    table.push(rec);
    return [201, { data: this.select(rec, 'id,etag') }];
  }

  private validate(name: string, d: Record<string, unknown>): string | null {
    if (name === 'contacts') {
      if (d.type !== 'Person' && d.type !== 'Company') return 'type must be Person or Company';
      if (!d.first_name && !d.last_name) return 'first_name or last_name is required';
      for (const p of (d.phone_numbers as { number?: string; name?: string }[] | undefined) ?? []) {
        if (!['Work', 'Home', 'Mobile', 'Fax', 'Pager', 'Skype', 'Other'].includes(p.name ?? '')) return `phone_numbers.name "${p.name}" is invalid`;
      }
      for (const e of (d.email_addresses as { name?: string }[] | undefined) ?? []) {
        if (!['Work', 'Home', 'Other'].includes(e.name ?? '')) return `email_addresses.name "${e.name}" is invalid`;
      }
    }
    if (name === 'matters') {
      const id = (d.client as { id?: number } | undefined)?.id;
      if (!id || !this.contacts.some((c) => c.id === id)) return 'client.id must be an existing contact';
      if (!d.description) return 'description is required';
      if (d.status && !['open', 'closed', 'pending'].includes(String(d.status))) return 'status is invalid';
      const pa = (d.practice_area as { id?: number } | undefined)?.id;
      if (pa !== undefined && !this.practiceAreas.some((a) => a.id === pa)) return 'practice_area.id is invalid';
    }
    if (name === 'notes' && d.type === 'Contact') {
      const c = (d.contact as { id?: number } | undefined)?.id;
      if (!c || !this.contacts.some((x) => x.id === c)) return 'contact.id must be an existing contact';
    } else if (name === 'notes' || name === 'communications') {
      if (name === 'notes' && d.type !== 'Matter') return 'type must be Matter or Contact';
      const m = (d.matter as { id?: number } | undefined)?.id;
      if (!m || !this.matters.some((x) => x.id === m)) return 'matter.id must be an existing matter';
    }
    if (name === 'tasks') {
      // clio-tasks.md: name, description and assignee (id + type User|Contact) required; matter optional.
      if (!d.name) return 'name is required';
      if (!d.description) return 'description is required';
      const a = d.assignee as { id?: number; type?: string } | undefined;
      if (!a?.id || (a.type !== 'User' && a.type !== 'Contact')) return 'assignee must have an id and a type of User or Contact';
      if (a.type === 'User' && !this.users.some((u) => u.id === a.id)) return 'assignee.id must be an existing user';
      const m = (d.matter as { id?: number } | undefined)?.id;
      if (m !== undefined && !this.matters.some((x) => x.id === m)) return 'matter.id must be an existing matter';
      if (d.priority !== undefined && !['High', 'Normal', 'Low'].includes(String(d.priority))) return 'priority must be High, Normal or Low';
      if (d.status !== undefined && !['pending', 'complete'].includes(String(d.status))) return 'status must be pending or complete';
      if (d.due_at !== undefined && !/^\d{4}-\d{2}-\d{2}/.test(String(d.due_at))) return 'due_at must be an ISO-8601 date';
    }
    if (name === 'communications' && d.type !== 'PhoneCommunication' && d.type !== 'EmailCommunication') return 'type is invalid';
    return null;
  }

  private searchText(name: string, x: Rec): string {
    const parts = name === 'matters' ? [x.description, x.display_number, (x.client as { name?: string } | undefined)?.name] : [x.name, x.first_name, x.last_name, x.primary_email_address, x.primary_phone_number, x.subject];
    return parts.filter(Boolean).join(' ').toLowerCase();
  }

  /** Clio's `fields`: id and etag by default; `client{id,name}` selects nested fields one level deep. */
  private select(x: Rec, fields: string | null): Record<string, unknown> {
    const out: Record<string, unknown> = { id: x.id, etag: x.etag };
    if (!fields) return out;
    for (const m of fields.matchAll(/(\w+)(\{([^}]*)\})?/g)) {
      const [, key, , nested] = m;
      const v = x[key!];
      const pick = (o: Record<string, unknown>) => Object.fromEntries(nested!.split(',').map((k) => [k, o[k]]));
      if (nested && Array.isArray(v)) out[key!] = (v as Record<string, unknown>[]).map(pick);
      else if (nested && v && typeof v === 'object') out[key!] = Object.fromEntries(nested.split(',').map((k) => [k, (v as Record<string, unknown>)[k]]));
      else out[key!] = v ?? null;
    }
    return out;
  }
}
