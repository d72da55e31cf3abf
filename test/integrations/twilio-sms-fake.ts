// Twilio's Messages endpoint (POST /2010-04-01/Accounts/{AC}/Messages.json, form-encoded, HTTP Basic auth), reached by
// the real twilio@6 SDK through TWILIO_API_BASE_URL. nock does not see twilio@6's requests here (its keep-alive
// https agent bypasses the interceptor in this setup), so a local server stands in, speaking Twilio's JSON shapes.
import { createServer, type Server } from 'node:http';
import { closeServer, listenOnLoopback } from '../fakes/loopback.js';

export class TwilioSmsFake {
  readonly messages: Record<string, string>[] = [];
  /** Answers, in order, for the next requests; empty: 201 with a message resource. */
  replies: { status: number; code?: number; message?: string }[] = [];
  url = '';
  private server: Server | null = null;

  constructor(readonly accountSid: string, readonly authToken: string) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
        if (req.headers.authorization !== `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`) return send(401, { code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
        if (req.method !== 'POST' || req.url !== `/2010-04-01/Accounts/${this.accountSid}/Messages.json`) return send(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
        const form = Object.fromEntries(new URLSearchParams(raw));
        const r = this.replies.shift();
        if (r && r.status >= 300) return send(r.status, { code: r.code ?? 20500, message: r.message ?? 'Internal Server Error', more_info: `https://www.twilio.com/docs/errors/${r.code ?? 20500}`, status: r.status });
        this.messages.push(form);
        const sid = `SM${String(this.messages.length).padStart(32, '0')}`;
        send(201, {
          sid, account_sid: this.accountSid, to: form.To, from: form.From ?? null, messaging_service_sid: form.MessagingServiceSid ?? null, body: form.Body,
          status: 'queued', num_segments: '1', direction: 'outbound-api', api_version: '2010-04-01', price: null, error_code: null, error_message: null,
          date_created: new Date().toUTCString(), date_updated: new Date().toUTCString(), date_sent: null, uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
        });
      });
    });
    this.url = await listenOnLoopback(this.server);
    return this.url;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }
}
