// A ConversationRelay call hears the firm's own facts, as a Media Streams call does: the relay socket builds its
// session from the same cached firm overlay (runtime.flowForCall), not from the bare flow file, so a firm that set
// its name and fee with `hermes tenants set` or the admin API is not greeted with the flow's defaults.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant } from '../../src/auth/users.js';
import { updateFirmFacts } from '../../src/intake/firm-facts-repo.js';
import { startHarness, type Harness } from './harness.js';
import { placeRelayCall } from './relay-harness.js';

const FLOW = resolve('test/call/fixtures/firm-facts.yaml');
const FIRM_NUMBER = '+13125550100';

describe('ConversationRelay and the firm record', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ db: 'sqlite', deepgram: null, config: { defaultFlow: FLOW, channel: 'conversation-relay', relaySpeechMsPerChar: 5 }, services: { firmFactsTtlMs: 0 } });
    const t = await createTenant(h.db.db, { slug: 'okafor-law', name: 'Okafor Law Group', timezone: 'America/Chicago' });
    await updateFirmFacts(h.db.db, t.id, { consultation_fee: 250 });
    await h.db.db('phone_numbers').insert({ tenant_id: t.id, e164: FIRM_NUMBER, flow: FLOW });
  });
  afterAll(async () => {
    await h?.close();
  });

  it("greets with the firm's name and fee, not the flow's defaults", async () => {
    const c = await placeRelayCall(h, { to: FIRM_NUMBER });
    expect((await c.waitForCycle(0)).text).toBe("Hello from Okafor Law Group. I'm an AI assistant. A consultation is 250 dollars.");
    c.hangup();
  });
});
