// A local Stripe with the wire format of ../../../shared/reference/stripe.md, so the real `stripe` SDK is exercised:
// Bearer secret-key auth, form-urlencoded bodies with bracket nesting (parsed with qs, as Stripe's own SDKs encode
// them), GET /v1/account, POST/GET /v1/checkout/sessions, Idempotency-Key replay (same key + same body -> the first
// answer with Idempotent-Replayed: true; same key + other body -> 400 idempotency_error), the error body
// {"error":{type,code,message,param}}, injectable failures, and `pay()`, which plays the payer: it builds the
// checkout.session.completed and payment_intent.succeeded events Stripe would send and signs them (Stripe-Signature
// t=...,v1=HMAC-SHA256(secret, "t.body")) with the SDK's own test-header helper.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import qs from 'qs';
import Stripe from 'stripe';
import { closeServer, listenOnLoopback } from './loopback.js';

type Json = Record<string, unknown>;
export interface StripeRequest { method: string; path: string; auth: string | null; idempotencyKey: string | null; body: Json }

const id = (prefix: string) => `${prefix}_test_${randomBytes(12).toString('hex')}`;

export class StripeFake {
  readonly requests: StripeRequest[] = [];
  readonly sessions = new Map<string, Json>();
  account: Json = { id: 'acct_1HermesFirm', object: 'account', business_profile: { name: 'Smith Law LLC' }, charges_enabled: true, country: 'US', default_currency: 'usd' };
  failure: (req: StripeRequest) => { status: number; type?: string; code?: string; message?: string; retryAfterS?: number } | null = () => null;
  url = '';
  private server: Server | null = null;
  private readonly replays = new Map<string, { body: string; status: number; answer: Json }>();

  constructor(readonly secretKey = 'sk_test_51HermesFakeKey0000') {}

  /** The payer pays the session: its completed and PaymentIntent events, signed with `webhookSecret`. */
  pay(sessionId: string, webhookSecret: string, opts: { paymentStatus?: 'paid' | 'unpaid' } = {}): { payload: string; signature: string }[] {
    const s = this.sessions.get(sessionId);
    if (!s) throw new Error(`no session ${sessionId}`);
    const pi = id('pi');
    Object.assign(s, { status: 'complete', payment_status: opts.paymentStatus ?? 'paid', payment_intent: pi });
    const pd = (s.payment_intent_data ?? {}) as Json;
    const intent = { id: pi, object: 'payment_intent', amount: s.amount_total, amount_received: s.amount_total, currency: s.currency, status: 'succeeded', metadata: pd.metadata ?? {} };
    const events = [this.event('checkout.session.completed', s), ...(opts.paymentStatus === 'unpaid' ? [] : [this.event('payment_intent.succeeded', intent)])];
    return events.map((e) => this.signed(e, webhookSecret));
  }

  event(type: string, object: Json): Json {
    return { id: id('evt'), object: 'event', api_version: Stripe.API_VERSION, created: Math.floor(Date.now() / 1000), livemode: false, type, data: { object }, pending_webhooks: 1, request: { id: null, idempotency_key: null } };
  }

  signed(event: Json, secret: string, timestamp = Math.floor(Date.now() / 1000)): { payload: string; signature: string } {
    const payload = JSON.stringify(event);
    return { payload, signature: Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp }) };
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req).then(({ status, body, headers }) => {
      res.writeHead(status, { 'content-type': 'application/json', 'request-id': id('req'), ...headers }).end(JSON.stringify(body));
    }));
    this.url = await listenOnLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  private async handle(req: IncomingMessage): Promise<{ status: number; body: Json; headers?: Record<string, string> }> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const u = new URL(req.url ?? '/', 'http://x');
    const r: StripeRequest = {
      method: req.method ?? 'GET', path: u.pathname, auth: req.headers.authorization ?? null,
      idempotencyKey: (req.headers['idempotency-key'] as string | undefined) ?? null, body: qs.parse(raw) as Json,
    };
    this.requests.push(r);
    const err = (status: number, type: string, message: string, extra: Json = {}) => ({ status, body: { error: { type, message, ...extra } } });
    if (r.auth !== `Bearer ${this.secretKey}`) return err(401, 'invalid_request_error', `Invalid API Key provided: ${String(r.auth).slice(7, 15)}****`);
    const f = this.failure(r);
    if (f) return { ...err(f.status, f.type ?? 'api_error', f.message ?? 'injected failure', f.code ? { code: f.code } : {}), headers: f.retryAfterS !== undefined ? { 'retry-after': String(f.retryAfterS) } : {} };
    if (r.method === 'POST' && r.idempotencyKey) {
      const seen = this.replays.get(r.idempotencyKey);
      if (seen && seen.body !== raw) return err(400, 'idempotency_error', `Keys for idempotent requests can only be used with the same parameters they were first used with.`);
      if (seen) return { status: seen.status, body: seen.answer, headers: { 'idempotent-replayed': 'true' } };
    }
    const answer = this.route(r);
    if (r.method === 'POST' && r.idempotencyKey && answer.status < 500) this.replays.set(r.idempotencyKey, { body: raw, status: answer.status, answer: answer.body });
    return answer;
  }

  private route(r: StripeRequest): { status: number; body: Json } {
    const err = (status: number, message: string, param?: string) => ({ status, body: { error: { type: 'invalid_request_error', message, ...(param ? { param } : {}) } } });
    if (r.method === 'GET' && r.path === '/v1/account') return { status: 200, body: this.account };
    if (r.method === 'POST' && r.path === '/v1/checkout/sessions') {
      const b = r.body;
      if (b.mode !== 'payment') return err(400, 'Missing required param: mode.', 'mode');
      const items = b.line_items as Json[] | undefined;
      const item = items?.[0];
      const pd = (item?.price_data ?? {}) as Json;
      const amount = Number(pd.unit_amount);
      if (!item || !Number.isInteger(amount) || amount <= 0) return err(400, 'Invalid integer: line_items[0][price_data][unit_amount]', 'line_items[0][price_data][unit_amount]');
      if (typeof pd.currency !== 'string') return err(400, 'Missing required param: line_items[0][price_data][currency].', 'line_items[0][price_data][currency]');
      const sid = id('cs');
      const session: Json = {
        id: sid, object: 'checkout.session', mode: 'payment', url: `https://checkout.stripe.com/c/pay/${sid}`, status: 'open', payment_status: 'unpaid',
        amount_total: amount * Number(item.quantity ?? 1), currency: pd.currency, metadata: b.metadata ?? {}, client_reference_id: b.client_reference_id ?? null,
        customer_email: b.customer_email ?? null, success_url: b.success_url ?? null, payment_intent: null,
        expires_at: Number(b.expires_at ?? Math.floor(Date.now() / 1000) + 86_400), payment_intent_data: b.payment_intent_data ?? null,
        line_items_given: items,
      };
      this.sessions.set(sid, session);
      const { payment_intent_data: _pd, line_items_given: _li, ...shown } = session;
      return { status: 200, body: shown };
    }
    const m = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(r.path);
    if (r.method === 'GET' && m) {
      const s = this.sessions.get(m[1]!);
      return s ? { status: 200, body: s } : err(404, `No such checkout.session: '${m[1]}'`, 'id');
    }
    return err(404, `Unrecognized request URL (${r.method}: ${r.path}).`);
  }
}
