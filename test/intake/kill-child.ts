// Child process for the kill -9 test: first completes DONE_CALLS calls (their deliveries wait in the outbox: no
// worker runs here), then runs CALLS calls at once through the real flow engine, writing calls, turns, slots and
// outbox rows as the call path does, a caller turn every TURN_DELAY_MS, until the parent kills it mid-way.
// Each write is reported on stdout only after it committed, so the parent can check that nothing reported is lost.
// Run: DATABASE_URL=... TENANT_ID=... ZAPIER_HOOK_URL=... node --import tsx test/intake/kill-child.ts
import { createDb } from '../../src/db/knex.js';
import { loadFlow } from '../../src/flows/index.js';
import { loadConfig } from '../../src/config.js';
import { createIntakeRecorder } from '../../src/integrations/index.js';
import { createEffectRunner } from '../../src/integrations/effect-runner.js';
import { readScript } from '../../src/simulate/script.js';
import { silentLogger } from '../../src/observability/logger.js';
import { drive } from '../integrations/drive.js';

const db = createDb(process.env.DATABASE_URL!);
const tenantId = Number(process.env.TENANT_ID);
const calls = Number(process.env.CALLS ?? 20);
const flow = await loadFlow('flows/intake.yaml');
const script = await readScript('flows/tests/pi-english-basic.yaml');
const base = createIntakeRecorder(db, { config: loadConfig() });
const recorder = {
  async slot(callSid: string, name: string, value: unknown, confirmed: boolean) {
    await base.slot(callSid, name, value, confirmed);
    process.stdout.write(`${JSON.stringify({ slot: { callSid, name, value } })}\n`);
  },
  end: base.end,
};
const inner = createEffectRunner({ db, log: silentLogger(), conflictCheck: async () => ({ status: 'clear', matches: [] }) });
const effects = {
  async run(...a: Parameters<typeof inner.run>) {
    const r = await inner.run(...a);
    if (r.ok && r.data?.queued) process.stdout.write(`${JSON.stringify({ queued: { callSid: a[1].callSid, action: a[0].action } })}\n`);
    return r;
  },
};
for (let i = 0; i < Number(process.env.DONE_CALLS ?? 0); i++) {
  const callSid = `CAdone${String(i).padStart(28, '0')}`;
  const r = await drive({ db, flow, script, callSid, tenantId, recorder, effects });
  process.stdout.write(`${JSON.stringify({ ended: { callSid, outcome: r.outcome } })}\n`);
}
process.stdout.write('STARTED\n');
await Promise.all(
  Array.from({ length: calls }, async (_, i) => {
    const callSid = `CAkill${String(i).padStart(28, '0')}`;
    await drive({ db, flow, script, callSid, tenantId, recorder, effects, turnDelayMs: Number(process.env.TURN_DELAY_MS ?? 40) });
    // Reaching the end means the parent did not kill in time: it will see an ended call and fail.
    process.stdout.write(`${JSON.stringify({ ended: { callSid, outcome: 'finished before the kill' } })}\n`);
  }),
);
await db.destroy();
