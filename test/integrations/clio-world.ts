// A firm connected to the local Clio fake, with a worker and effect runner on a simulated clock.
import type { Config } from '../../src/config.js';
import { createTestDb, type TestDb, type TestDbKind } from '../helpers/db.js';
import { ManualClock } from '../../src/integrations/clock.js';
import { createCredentialStore, type CredentialStore } from '../../src/integrations/credentials.js';
import { createClioAccess, type ClioAccess } from '../../src/integrations/clio/access.js';
import { saveClioTokens } from '../../src/integrations/clio/oauth.js';
import { createWorker } from '../../src/integrations/index.js';
import type { OutboxWorker } from '../../src/integrations/outbox/worker.js';
import type { SmsSender } from '../../src/integrations/sms.js';
import { silentLogger } from '../../src/observability/logger.js';
import { ClioFake } from '../fakes/clio-server.js';
import { ENCRYPTION_KEY, seedTenant, testConfig } from './helpers.js';

export interface ClioWorld {
  t: TestDb;
  clock: ManualClock;
  clio: ClioFake;
  config: Config;
  creds: CredentialStore;
  access: ClioAccess;
  tenantId: number;
  worker: OutboxWorker;
  sms: SmsSender & { sent: { to: string; body: string }[] };
  close(): Promise<void>;
}

export async function clioWorld(kind: TestDbKind, opts: { configOverrides?: Partial<Config>; requestTimeoutMs?: number; random?: () => number } = {}): Promise<ClioWorld> {
  const t = await createTestDb(kind);
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 15, 0, 0));
  const clio = new ClioFake({ now: () => clock.now().getTime() });
  await clio.start();
  const config = testConfig({ clioBaseUrl: clio.url, ...opts.configOverrides });
  const creds = createCredentialStore(t.db, ENCRYPTION_KEY, () => clock.now());
  const tenantId = await seedTenant(t.db);
  const tok = clio.issueTokens();
  await saveClioTokens(creds, tenantId, { accessToken: tok.access_token, refreshToken: tok.refresh_token, expiresAt: clock.now().getTime() + tok.expires_in * 1000 });
  const access = createClioAccess({ cfg: config, creds, clock, ...(opts.requestTimeoutMs ? { requestTimeoutMs: opts.requestTimeoutMs } : {}) });
  const sent: { to: string; body: string }[] = [];
  const sms = { sent, send: async (to: string, body: string) => (sent.push({ to, body }), { sid: `SM${sent.length}` }) };
  const worker = createWorker({ db: t.db, config, log: silentLogger(), clock, clio: access, creds, sms, lawpayPollMs: 0, settings: { attemptTimeoutMs: 10_000 } });
  return {
    t, clock, clio, config, creds, access, tenantId, worker, sms,
    async close() {
      await clio.stop();
      await t.destroy();
    },
  };
}
