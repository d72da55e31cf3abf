// A local LawPay (AffiniPay gateway v1) with the shapes of ../../../shared/reference/lawpay.md: HTTP Basic auth with
// the secret key as user name, GET /v1/merchant (merchant_accounts with trust_account), GET /v1/events paging, the
// gateway's error body {"messages":[...]}, and injectable failures (status, Retry-After).
import { createServer, type Server } from 'node:http';
import { randomBytes } from 'node:crypto';
import { closeServer, listenOnLoopback } from './loopback.js';

export interface LawPayAccount {
  id: string;
  name: string;
  primary?: boolean;
  trust_account?: boolean;
}

export class LawPayFake {
  accounts: LawPayAccount[] = [
    { id: 'acct_operating', name: 'Operating', primary: true, trust_account: false },
    { id: 'acct_trust', name: 'Trust', primary: false, trust_account: true },
  ];
  readonly events: { id: string; created: string; type: string; data: Record<string, unknown> }[] = [];
  readonly requests: { path: string; auth: string | null }[] = [];
  failure: (path: string) => { status: number; retryAfterS?: number } | null = () => null;
  url = '';
  private server: Server | null = null;

  constructor(readonly secretKey = 'sk_test_hermes') {}

  /** A payment made on the hosted page: a charge with our reference, completed. */
  pay(reference: string, amountCents: number, type = 'transaction.completed'): void {
    this.events.unshift({
      id: `evt_${randomBytes(6).toString('hex')}`,
      created: new Date().toISOString(),
      type,
      data: { id: `ch_${randomBytes(6).toString('hex')}`, type: 'CHARGE', status: type === 'transaction.completed' ? 'COMPLETED' : 'FAILED', amount: amountCents, currency: 'USD', reference, account_id: 'acct_operating' },
    });
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const u = new URL(req.url ?? '/', 'http://x');
      const auth = req.headers.authorization ?? null;
      this.requests.push({ path: u.pathname, auth });
      const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      };
      const expected = `Basic ${Buffer.from(`${this.secretKey}:`).toString('base64')}`;
      if (auth !== expected) return send(401, { messages: [{ code: 'unauthorized', level: 'error', message: 'Invalid credentials', facility: 'gateway' }] });
      const f = this.failure(u.pathname);
      if (f) return send(f.status, { messages: [{ code: 'unavailable', level: 'error', message: 'injected failure', facility: 'gateway' }] }, f.retryAfterS !== undefined ? { 'retry-after': String(f.retryAfterS) } : {});
      if (req.method === 'GET' && u.pathname === '/v1/merchant') {
        return send(200, { id: 'merchant_1', name: 'Smith Law', merchant_accounts: this.accounts, ach_accounts: [] });
      }
      if (req.method === 'GET' && u.pathname === '/v1/events') {
        const page = Number(u.searchParams.get('page') ?? 1);
        const size = Number(u.searchParams.get('page_size') ?? 50);
        return send(200, { page, page_size: size, total_entries: this.events.length, results: this.events.slice((page - 1) * size, page * size) });
      }
      send(404, { messages: [{ code: 'not_found', level: 'error', message: 'Not found', facility: 'gateway' }] });
    });
    this.url = await listenOnLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }
}
