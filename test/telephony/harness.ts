// A real HERMES server (buildApp + createServices, listening on loopback) wired to the fake Deepgram, the fake Twilio
// REST API and a throwaway database, plus helpers to place signed calls with the fake Twilio caller.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.js';
import { buildApp } from '../../src/app.js';
import { createServices, type ServiceOverrides, type Services } from '../../src/services.js';
import { createMetrics, type Metrics } from '../../src/observability/metrics.js';
import { createLogger, type Logger } from '../../src/observability/logger.js';
import { createReasoner } from '../../src/reasoning/index.js';
import { createCallsRepo, type CallsRepo } from '../../src/intake/calls-repo.js';
import { createTestDb, type TestDb, type TestDbKind } from '../helpers/db.js';
import { startFakeDeepgram, type FakeDeepgram, type FakeDeepgramOptions } from '../../src/bench/fakes/deepgram-server.js';
import { startFakeTwilioRest, type FakeTwilioRest } from '../fakes/twilio-rest.js';
import { FakeTwilioCaller, newCallSid, signedForm, type CallerOptions } from '../fakes/twilio-caller.js';

export const PUBLIC_URL = 'https://hermes.example.com';
export const ACCOUNT_SID = `AC${'a'.repeat(32)}`;
export const AUTH_TOKEN = 'twilio-test-auth-token';
export const PHONE_FLOW = resolve('test/call/fixtures/phone.yaml');

export interface Harness {
  app: FastifyInstance;
  url: string;
  config: Config;
  metrics: Metrics;
  services: Services;
  deepgram: FakeDeepgram | null;
  rest: FakeTwilioRest;
  db: TestDb;
  calls: CallsRepo;
  logLines: string[];
  /** POSTs a signed /twilio/voice and returns the TwiML and the stream parameters in it. */
  voiceWebhook(p: { callSid?: string; from?: string; to?: string }): Promise<{ status: number; twiml: string; params: Record<string, string>; callSid: string }>;
  /** Webhook + signed media stream: a connected fake caller. */
  placeCall(p?: { callSid?: string; from?: string; to?: string } & Partial<CallerOptions>): Promise<FakeTwilioCaller>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  db?: TestDbKind;
  deepgram?: FakeDeepgramOptions | null;
  config?: Partial<Config>;
  services?: ServiceOverrides;
}

export async function startHarness(o: HarnessOptions = {}): Promise<Harness> {
  const db = await createTestDb(o.db ?? 'sqlite');
  const deepgram = o.deepgram === null ? null : await startFakeDeepgram({ ...o.deepgram, speak: { msPerChar: 8, ...o.deepgram?.speak } });
  const rest = await startFakeTwilioRest(ACCOUNT_SID, AUTH_TOKEN);
  const cacheDir = mkdtempSync(join(tmpdir(), 'hermes-prompts-'));
  const config = loadConfig({}, {
    publicUrl: PUBLIC_URL,
    twilioAccountSid: ACCOUNT_SID,
    twilioAuthToken: AUTH_TOKEN,
    twilioApiBaseUrl: rest.url,
    deepgramApiKey: deepgram ? deepgram.apiKey : null,
    deepgramBaseUrl: deepgram ? deepgram.url : null,
    databaseUrl: db.url,
    defaultFlow: PHONE_FLOW,
    promptCacheDir: cacheDir,
    logLevel: 'info',
    ...o.config,
  });
  const logLines: string[] = [];
  const log: Logger = createLogger('info', { write: (s: string) => { logLines.push(s); return true; } } as unknown as NodeJS.WritableStream);
  const metrics = createMetrics({ defaultMetrics: false });
  // Offline reasoning unless the test configures an OpenAI-compatible server (config.openaiApiKey/openaiBaseUrl).
  const services = createServices({ config, log, metrics, db: db.db }, { reasoner: createReasoner(config, log, { metrics }), ...o.services });
  const flow = await services.callRuntime.deps.flows.get(config.defaultFlow);
  await services.warmPrompts(flow);
  const app = await buildApp({ config, log, metrics, db: db.db, callRuntime: services.callRuntime });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  const h: Harness = {
    app, url, config, metrics, services, deepgram, rest, db, calls: createCallsRepo(db.db), logLines,
    async voiceWebhook(p) {
      const callSid = p.callSid ?? newCallSid();
      const params = { CallSid: callSid, AccountSid: ACCOUNT_SID, From: p.from ?? '+13125550123', To: p.to ?? '+13125550100', CallStatus: 'ringing', Direction: 'inbound' };
      const f = signedForm(AUTH_TOKEN, `${PUBLIC_URL}/twilio/voice`, params);
      // inject() runs the real route without a keep-alive client socket (handle counts stay exact).
      const res = await app.inject({ method: 'POST', url: '/twilio/voice', headers: f.headers, payload: f.body });
      const twiml = res.body;
      const status = res.statusCode;
      const streamParams: Record<string, string> = {};
      for (const m of twiml.matchAll(/<Parameter name="([^"]+)" value="([^"]*)"\/>/g)) streamParams[m[1]!] = m[2]!.replace(/&amp;/g, '&');
      return { status, twiml, params: streamParams, callSid };
    },
    async placeCall(p = {}) {
      const hook = await h.voiceWebhook(p);
      if (hook.status !== 200) throw new Error(`voice webhook answered ${hook.status}`);
      const caller = new FakeTwilioCaller({ serverUrl: url.replace('http', 'ws'), publicUrl: PUBLIC_URL, authToken: AUTH_TOKEN, callSid: hook.callSid, params: hook.params, ...p });
      await caller.connect();
      return caller;
    },
    async close() {
      await app.close();
      await services.close();
      await deepgram?.close();
      await rest.close();
      await db.destroy();
      rmSync(cacheDir, { recursive: true, force: true });
    },
  };
  return h;
}

/** Posts a signed status callback. */
export async function statusCallback(h: Harness, callSid: string, status: string, durationS: number): Promise<number> {
  const params = { CallSid: callSid, AccountSid: ACCOUNT_SID, CallStatus: status, CallDuration: String(durationS) };
  const f = signedForm(AUTH_TOKEN, `${PUBLIC_URL}/twilio/status`, params);
  const res = await h.app.inject({ method: 'POST', url: '/twilio/status', headers: f.headers, payload: f.body });
  return res.statusCode;
}
