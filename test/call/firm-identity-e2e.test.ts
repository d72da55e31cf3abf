// One firm identity (issue 11 item 5): `hermes tenants create` with firm facts, run as a person runs it against the
// server's database, changes what the next call to that firm's number hears (its name, fee, the number "a person"
// transfers to) with no flow upload; the flow's `firm:` block stays the default for whatever the firm has not set.
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../telephony/harness.js';

const REPO = resolve(import.meta.dirname, '../..');
const FLOW = resolve('test/call/fixtures/firm-facts.yaml');
const HERMES_NUMBER = '+13125550100';

describe('the firm record decides what callers hear', () => {
  let h: Harness;
  const hermes = (args: string[]) => {
    const r = spawnSync(process.execPath, [join(REPO, 'bin/hermes.js'), ...args], {
      cwd: REPO, encoding: 'utf8', env: { ...process.env, DATABASE_URL: h.db.url, LOG_LEVEL: 'silent' }, timeout: 90_000,
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  beforeAll(async () => {
    h = await startHarness({ db: 'sqlite', config: { defaultFlow: FLOW }, services: { firmFactsTtlMs: 0 } });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function greetingAndTransfer(): Promise<{ greeting: string; dialled: string }> {
    const caller = await h.placeCall({ speed: 4, to: HERMES_NUMBER });
    await caller.waitForPrompt(15000, 400);
    caller.dtmf('0');
    const upd = await h.rest.waitForUpdate(caller.callSid);
    const turns = await h.calls.turns(caller.callSid);
    return { greeting: turns.find((t) => t.speaker === 'agent')!.text, dialled: /<Number[^>]*>([^<]+)<\/Number>|<Dial[^>]*>([^<]+)<\/Dial>/.exec(String(upd.params.Twiml))?.slice(1).find(Boolean) ?? String(upd.params.Twiml) };
  }

  it('a bad fact is refused with the reason and no firm is made; good facts reach the next call without a flow upload', async () => {
    const bad = hermes(['tenants', 'create', '--slug', 'okafor-law', '--name', 'Okafor Law Group', '--main-number', '555', '--hours', 'weekdays 9 to 5']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/main_number: "555" is not a phone number/);
    expect(bad.err).toMatch(/business_hours: like "mon-fri 09:00-17:30"/);
    expect(await h.db.db('tenants').where({ slug: 'okafor-law' }).first()).toBeUndefined();

    const made = hermes(['tenants', 'create', '--slug', 'okafor-law', '--name', 'Okafor Law Group', '--timezone', 'America/Chicago', '--main-number', '(312) 555-0777', '--fee', '$250', '--hours', 'mon-fri 08:30-17:00']);
    expect([made.code, made.err]).toEqual([0, '']);
    const tenant = (await h.db.db('tenants').where({ slug: 'okafor-law' }).first('id')) as { id: number };
    await h.db.db('phone_numbers').insert({ tenant_id: tenant.id, e164: HERMES_NUMBER, flow: FLOW });

    const first = await greetingAndTransfer();
    expect(first.greeting).toBe('Hello from Okafor Law Group. I\'m an AI assistant. A consultation is 250 dollars.');
    expect(first.dialled).toContain('+13125550777');

    // Clearing a fact brings back the flow's default; a changed name is heard on the next call.
    const set = hermes(['tenants', 'set', 'okafor-law', '--name', 'Okafor & Mensah LLP', '--fee', '0']);
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/name: Okafor & Mensah LLP/);
    const second = await greetingAndTransfer();
    expect(second.greeting).toBe('Hello from Okafor & Mensah LLP. I\'m an AI assistant. A consultation is 0 dollars.');
    const cleared = hermes(['tenants', 'set', 'okafor-law', '--main-number', '']);
    expect(cleared.code).toBe(0);
    expect((await greetingAndTransfer()).dialled).toContain('+13125550100');

    const show = hermes(['tenants', 'show', 'okafor-law']);
    expect(show.out).toMatch(/business_hours: \{"days":\["mon","tue","wed","thu","fri"\],"open":"08:30","close":"17:00"\}/);
    expect(show.out).not.toMatch(/main_number/);
  });

  it('calls to a number no firm owns are listed for operators', async () => {
    const caller = await h.placeCall({ speed: 4, to: '+13125550999' });
    await caller.waitForPrompt(15000, 400);
    await caller.hangup();
    const list = hermes(['calls', 'unrouted', '--json']);
    expect([list.code, list.err]).toEqual([0, '']);
    const rows = list.out.trim().split('\n').map((l) => JSON.parse(l) as { callSid: string; to: string; number: string });
    expect(rows.find((r) => r.callSid === caller.callSid)).toMatchObject({ to: '+13125550999', number: 'unmapped' });
  });
});
