// HERMES behind the repo's nginx configuration, for real: `nginx -t`, HTTP -> HTTPS with the ACME path left open,
// TLS 1.2/1.3, a signed Twilio webhook and a media WebSocket call through the proxy to one of two instances,
// least_conn spreading requests, the auth zone answering 429, and /metrics refused from outside.
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import twilio from 'twilio';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, type TestDb } from '../helpers/db.js';
import { findNginx, nginxTest, startNginx, type RunningNginx } from './harness.js';
import { AUTH_TOKEN, PUBLIC_URL, startInstance, type Instance } from './instances.js';
import { mintStreamToken, STREAM_TOKEN_PARAM, streamTokenKey } from '../../src/telephony/stream-token.js';

const NGINX = findNginx();
if (!NGINX) console.warn('[nginx tests] skipped: no nginx binary found (install Debian package nginx-light)');

interface Res { status: number; headers: Record<string, string | string[] | undefined>; body: string }

function call(opts: { tls: boolean; port: number; path: string; method?: string; headers?: Record<string, string>; body?: string; localAddress?: string }): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = (opts.tls ? httpsRequest : httpRequest)({
      host: '127.0.0.1', port: opts.port, path: opts.path, method: opts.method ?? 'GET', headers: { host: 'hermes.test', ...opts.headers },
      rejectUnauthorized: false, localAddress: opts.localAddress, agent: false,
    }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += String(d); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

describe.skipIf(!NGINX)('HERMES behind nginx', () => {
  let tdb: TestDb;
  let a: Instance;
  let b: Instance;
  let nginx: RunningNginx;
  const https = (path: string, o: Omit<Parameters<typeof call>[0], 'tls' | 'port' | 'path'> = {}) => call({ tls: true, port: nginx.ports.https, path, ...o });

  beforeAll(async () => {
    tdb = await createTestDb('sqlite');
    a = await startInstance('A', tdb);
    b = await startInstance('B', tdb);
    nginx = await startNginx(NGINX!, [a.port, b.port]);
  });
  afterAll(async () => {
    await nginx?.stop();
    await a?.app.close();
    await b?.app.close();
    await tdb?.destroy();
  });

  it('passes nginx -t with the repo configuration', () => {
    // startNginx already refused to start on a failing -t; this names the check and keeps its output visible.
    expect(() => nginxTest(NGINX!, join(nginx.dir, 'nginx.conf'), nginx.dir)).not.toThrow();
    expect(nginx.errorLog()).not.toMatch(/\[emerg\]/);
  });

  it('redirects HTTP to HTTPS but serves the ACME challenge over HTTP', async () => {
    const r = await call({ tls: false, port: nginx.ports.http, path: '/api/calls?x=1' });
    expect(r.status).toBe(301);
    expect(r.headers.location).toBe('https://hermes.test/api/calls?x=1');
    writeFileSync(join(nginx.dir, 'acme/.well-known/acme-challenge/tok123'), 'tok123.thumbprint');
    const acme = await call({ tls: false, port: nginx.ports.http, path: '/.well-known/acme-challenge/tok123' });
    expect(acme.status).toBe(200);
    expect(acme.body).toBe('tok123.thumbprint');
  });

  it('speaks TLS 1.2 and 1.3 and refuses TLS 1.1', async () => {
    const negotiate = (min: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3', max: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3') => new Promise<string>((resolve) => {
      // SECLEVEL=0 lets this client offer TLS 1.1 at all, so a refusal comes from nginx and not from our own OpenSSL.
      const s = tlsConnect({ host: '127.0.0.1', port: nginx.ports.https, servername: 'hermes.test', rejectUnauthorized: false, minVersion: min, maxVersion: max, ciphers: 'DEFAULT:@SECLEVEL=0' }, () => {
        resolve(s.getProtocol() ?? 'none');
        s.end();
      });
      s.on('error', () => resolve('refused'));
    });
    expect(await negotiate('TLSv1.2', 'TLSv1.2')).toBe('TLSv1.2');
    expect(await negotiate('TLSv1.3', 'TLSv1.3')).toBe('TLSv1.3');
    expect(await negotiate('TLSv1.1', 'TLSv1.1')).toBe('refused');
  });

  it('adds security headers once and spreads requests over both instances', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await https('/health');
      expect(r.status).toBe(200);
      seen.add(String(r.headers['x-hermes-instance']));
      expect(r.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers.server).toBe('nginx');
    }
    expect([...seen].sort()).toEqual(['A', 'B']);
  });

  it('passes a Twilio webhook signed for PUBLIC_URL through to HERMES, which answers with the stream TwiML', async () => {
    const params = { CallSid: 'CAnginx0001', AccountSid: 'AC123', From: '+13125550188', To: '+13125550100', CallStatus: 'ringing' };
    const body = new URLSearchParams(params).toString();
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/twilio/voice`, params) };
    const ok = await https('/twilio/voice', { method: 'POST', headers, body });
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<Stream url="wss://hermes.test/twilio/media"');
    const forged = await https('/twilio/voice', { method: 'POST', headers: { ...headers, 'x-twilio-signature': 'AAAA' }, body });
    expect(forged.status).toBe(403);
  });

  it('carries a media stream call over the WebSocket upgrade to one instance and back', async () => {
    const wsUrl = `wss://127.0.0.1:${nginx.ports.https}/twilio/media`;
    // Unsigned: the instance refuses the upgrade, and nginx relays the refusal.
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl, { rejectUnauthorized: false, headers: { host: 'hermes.test' } });
      ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
      ws.on('open', () => { resolve(101); ws.close(); });
      ws.on('error', () => resolve(-1));
    });
    expect(refused).toBe(403);

    const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `wss://hermes.test/twilio/media`, {});
    const ws = new WebSocket(wsUrl, { rejectUnauthorized: false, headers: { host: 'hermes.test', 'x-twilio-signature': signature } });
    const received: { event: string; media?: { payload: string } }[] = [];
    await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); ws.once('unexpected-response', (_q, r) => reject(new Error(`upgrade answered ${r.statusCode}`))); });
    ws.on('message', (m) => received.push(JSON.parse(String(m))));
    const streamSid = 'MZnginx0001';
    // A stream is admitted only for a call HERMES announced: its row and the token its TwiML carried.
    await tdb.db('calls').insert({ call_sid: 'CAnginx0001', from_number: '+13125550188', to_number: '+13125550100', flow_id: 'greeting', flow_version: '1', flow_ref: 'greeting', status: 'in-progress', started_at: new Date() }).onConflict('call_sid').ignore();
    const token = mintStreamToken(streamTokenKey(null, AUTH_TOKEN)!, 'CAnginx0001', 'media');
    ws.send(JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }));
    ws.send(JSON.stringify({
      event: 'start', sequenceNumber: '1', streamSid,
      start: { accountSid: 'AC123', streamSid, callSid: 'CAnginx0001', tracks: ['inbound'], mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 }, customParameters: { callSid: 'CAnginx0001', flow: 'greeting', from: '+13125550188', to: '+13125550100', [STREAM_TOKEN_PARAM]: token } },
    }));
    // The greeting streams back as mu-law in whole 20 ms frames (a cached prompt goes ahead of playback in larger
    // messages); wait for a quarter second of it.
    const audioBytes = () => received.filter((m) => m.event === 'media').reduce((n, m) => n + Buffer.from(m.media!.payload, 'base64').length, 0);
    const deadline = Date.now() + 10_000;
    while (audioBytes() < 12 * 160 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    const frames = received.filter((m) => m.event === 'media');
    expect(audioBytes()).toBeGreaterThanOrEqual(12 * 160);
    for (const f of frames) expect(Buffer.from(f.media!.payload, 'base64').length % 160).toBe(0);
    expect([...a.opened, ...b.opened]).toEqual(['CAnginx0001']);
    ws.send(JSON.stringify({ event: 'stop', sequenceNumber: '99', streamSid, stop: { accountSid: 'AC123', callSid: 'CAnginx0001' } }));
    await new Promise<void>((resolve) => { ws.once('close', () => resolve()); setTimeout(() => { ws.terminate(); resolve(); }, 3000); });
  });

  it('upgrades the ConversationRelay socket when signed, and relays the instance refusing an unsigned one', async () => {
    const wsUrl = `wss://127.0.0.1:${nginx.ports.https}/twilio/relay`;
    const upgrade = (headers: Record<string, string>) => new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl, { rejectUnauthorized: false, headers: { host: 'hermes.test', ...headers } });
      ws.on('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); ws.terminate(); });
      ws.on('open', () => { resolve(101); ws.close(); });
      ws.on('error', () => resolve(-1));
    });
    expect(await upgrade({})).toBe(403);
    expect(await upgrade({ 'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, 'wss://hermes.test/twilio/relay', {}) })).toBe(101);
  });

  it('answers 429 from the auth zone after the burst of logins', async () => {
    // Sent together so they reach nginx within milliseconds: the 10 r/min zone with burst=5 lets 6 through to
    // HERMES (401, wrong password) and refuses the rest itself, whatever the machine's load.
    const codes = await Promise.all(Array.from({ length: 9 }, () => https('/auth/login', {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'nobody@example.com', password: 'wrong password' }),
    }).then((r) => r.status)));
    expect(codes.filter((c) => c === 401)).toHaveLength(6);
    expect(codes.filter((c) => c === 429)).toHaveLength(3);
    expect(nginx.errorLog()).toMatch(/limiting requests.*zone "auth"/);
  });

  it('serves /metrics to internal addresses only', async () => {
    const inside = await https('/metrics');
    expect(inside.status).toBe(200);
    expect(inside.body).toContain('hermes_calls_total');
    // 127.0.0.2 is not on the allow list: to nginx it is the outside world, whatever X-Forwarded-For claims.
    const outside = await https('/metrics', { localAddress: '127.0.0.2', headers: { 'x-forwarded-for': '10.0.0.5' } });
    expect(outside.status).toBe(403);
    expect(outside.body).not.toContain('hermes_');
  });
});
