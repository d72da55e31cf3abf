// A local Zapier catch hook (../../../shared/reference/zapier.md): POST /hooks/catch/<user>/<hook>/ answers 200
// {"id","request_id","attempt","status":"success"}; an unknown hook 404; injectable failures (429 with Retry-After,
// 500, hanging). Records every accepted post.
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';

export class ZapierFake {
  readonly posts: Record<string, unknown>[] = [];
  attempts = 0;
  failure: () => { status?: number; retryAfterS?: number; hang?: boolean } | null = () => null;
  url = '';
  private server: Server | null = null;
  private readonly hanging = new Set<ServerResponse>();

  constructor(readonly hookPath = '/hooks/catch/123456/abcdef/') {}

  get hookUrl(): string {
    return `${this.url}${this.hookPath}`;
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        this.attempts++;
        const send = (status: number, body: unknown, headers: Record<string, string> = {}) => res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
        if (req.method !== 'POST' || req.url !== this.hookPath) return send(404, { status: 'error', message: 'hook not found' });
        const f = this.failure();
        if (f?.hang) return void this.hanging.add(res);
        if (f) return send(f.status ?? 500, { status: 'error' }, f.retryAfterS !== undefined ? { 'retry-after': String(f.retryAfterS) } : {});
        try {
          this.posts.push(JSON.parse(raw) as Record<string, unknown>);
        } catch {
          return send(400, { status: 'error', message: 'invalid JSON' });
        }
        send(200, { id: randomUUID(), request_id: randomUUID().slice(0, 12), attempt: randomUUID(), status: 'success' });
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    for (const r of this.hanging) r.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}
