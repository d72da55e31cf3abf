// Two real HERMES apps (buildApp + listen on loopback) sharing one database, with the real telephony plugin.
// The only stand-ins are what this machine cannot have: the flow is a one-line greeting and its audio comes from a
// prompt store that returns mu-law silence, so a call streams real media frames without Deepgram.
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { CallRuntime } from '../../src/call/runtime.js';
import { loadConfig } from '../../src/config.js';
import type { Command } from '../../src/flows/commands.js';
import type { ConversationCore, LoadedFlow } from '../../src/flows/core.js';
import { silentLogger } from '../../src/observability/logger.js';
import { createMetrics } from '../../src/observability/metrics.js';
import type { TestDb } from '../helpers/db.js';
import { createCallsRepo } from '../../src/intake/calls-repo.js';

export const PUBLIC_URL = 'https://hermes.test';
export const AUTH_TOKEN = 'nginx-test-twilio-auth-token';
export const GREETING = 'Thank you for calling Smith Law. This call may be recorded.';

const flow: LoadedFlow = {
  id: 'greeting', version: '1', file: 'greeting.yaml',
  fixedPrompts: () => [{ promptId: 'greeting', text: GREETING, language: 'en' }],
  keyterms: () => [], voice: () => null, timing: () => ({ silenceRepromptMs: 60_000, silenceEndMs: 120_000 }),
};

function core(): ConversationCore {
  let done = false;
  return {
    async start(): Promise<Command[]> {
      return [{ type: 'say', id: 'greet', text: GREETING, promptId: 'greeting', interruptible: false, language: 'en' }];
    },
    async handle(): Promise<Command[]> {
      done = true;
      return [];
    },
    get done() { return done; },
    get outcome() { return null; },
    slots: () => ({}),
    snapshot: () => ({}),
  };
}

export interface Instance {
  name: string;
  app: FastifyInstance;
  port: number;
  runtime: CallRuntime;
  /** callSids whose media stream opened a session on this instance. */
  opened: string[];
}

export async function startInstance(name: string, tdb: TestDb): Promise<Instance> {
  const config = loadConfig({}, {
    databaseUrl: tdb.url, publicUrl: PUBLIC_URL, twilioAuthToken: AUTH_TOKEN, jwtSecret: 'nginx-test-jwt-secret-of-at-least-32-chars', logLevel: 'silent',
  });
  const log = silentLogger();
  const metrics = createMetrics({ defaultMetrics: false });
  const opened: string[] = [];
  const runtime = new CallRuntime({
    log, metrics,
    flows: { get: async () => flow, conversation: () => core() },
    defaultFlow: 'greeting', calls: createCallsRepo(tdb.db), /* the media socket admits only calls with a row */ stt: null, tts: null, defaultVoice: 'aura-2-thalia-en',
    // One second of mu-law silence (0xFF) for every prompt.
    prompts: { get: () => Buffer.alloc(8000, 0xff) },
    reply: null, splitter: () => ({ push: (t: string) => [t], end: () => [] }),
    recorder: null, effects: null, control: null,
  });
  const open = runtime.open.bind(runtime);
  runtime.open = async (s) => {
    opened.push(s.call.callSid);
    return open(s);
  };
  const app = await buildApp({ config, log, metrics, db: tdb.db, callRuntime: runtime });
  app.addHook('onSend', async (_req, reply) => { reply.header('x-hermes-instance', name); });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const port = (app.server.address() as { port: number }).port;
  return { name, app, port, runtime, opened };
}
