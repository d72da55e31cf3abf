// The staff app in a real browser (Debian's chromium driven by playwright-core) against a real HERMES: a call placed
// through the signed webhook and media stream (fake Twilio caller, fake Deepgram) appears in the inbox live, staff
// open it, read the transcript and mark it called back; staff cannot see settings; axe finds no serious problems.
// Skips when /usr/bin/chromium is absent, unless REQUIRE_BROWSER=1 (CI), where a missing browser fails.
// UPDATE_SCREENSHOTS=1 rewrites docs/screenshots/*.png.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, createUser } from '../../src/auth/users.js';
import { appDistDir } from '../../src/web/plugin.js';
import { PHONE_FLOW, startHarness, statusCallback, type Harness } from '../telephony/harness.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_BROWSER = existsSync(CHROMIUM);
const REQUIRED = process.env.REQUIRE_BROWSER === '1';
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const PASSWORD = 'correct horse battery staple';
const FIRM_NUMBER = '+13125550100';
const flowYaml = (next: string) => [
  'id: intake', 'version: 5', 'firm:', '  name: Alpha Law', '  timezone: America/Chicago', '  business_hours: { days: [mon, tue, wed, thu, fri], open: "09:00", close: "17:00" }', 'start: hello', 'steps:', '  hello:',
  `    ${next}`, '    say: { en: "Thank you for calling. I am an AI assistant and this call may be recorded." }', '  bye:', '    end: message', '    say: { en: "Goodbye." }', '',
].join('\n');

if (!HAVE_BROWSER && REQUIRED) {
  describe('staff app in a browser', () => {
    it('needs chromium (REQUIRE_BROWSER=1)', () => {
      throw new Error(`REQUIRE_BROWSER=1 but there is no browser at ${CHROMIUM}: apt-get install -y chromium`);
    });
  });
}

describe.skipIf(!HAVE_BROWSER)(`staff app in a browser${HAVE_BROWSER ? '' : ` (skipped: no chromium at ${CHROMIUM}; apt-get install -y chromium, or REQUIRE_BROWSER=1 to fail instead)`}`, () => {
  type Browser = import('playwright-core').Browser;
  type Page = import('playwright-core').Page;
  let h: Harness;
  let browser: Browser;
  const scripts = new Map<string, string[]>();
  const cspViolations: string[] = [];
  const firstLoads: number[] = [];
  let staffEmail = '';
  let ownerEmail = '';
  let tenantId = 0;

  beforeAll(async () => {
    // The app must be built; build it here when a fresh checkout has not (npm ci's prepare normally has).
    if (!appDistDir()) {
      const { build } = await import('vite');
      await build({ configFile: new URL('../../web/vite.config.ts', import.meta.url).pathname, logLevel: 'warn' });
    }
    h = await startHarness({ db: 'sqlite', deepgram: { script: (ctx) => scripts.get(ctx.key)?.[ctx.utteranceIndex] } });
    const t = await createTenant(h.db.db, { slug: 'alpha-law', name: 'Alpha Law LLP', timezone: 'America/Chicago' });
    staffEmail = (await createUser(h.db.db, { tenantId: t.id, email: 'paralegal@alpha-law.example', role: 'staff', password: PASSWORD })).email;
    ownerEmail = (await createUser(h.db.db, { tenantId: t.id, email: 'owner@alpha-law.example', role: 'owner', password: PASSWORD })).email;
    tenantId = t.id;
    await h.db.db('phone_numbers').insert({ tenant_id: t.id, e164: FIRM_NUMBER, flow: PHONE_FLOW });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  }, 120_000);
  afterAll(async () => {
    if (firstLoads.length) console.log(`first load to the sign-in form: ${firstLoads.join(', ')} ms`);
    await browser?.close();
    await h?.close();
  });

  async function signIn(email: string, width = 1280): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()); });
    await page.goto(`${h.url}/`);
    expect(page.url()).toBe(`${h.url}/app/`);
    await page.getByRole('heading', { name: 'Sign in to HERMES' }).waitFor();
    // From navigation start (the redirect included) to the sign-in form on screen, in this browser.
    firstLoads.push(Math.round(await page.evaluate(() => performance.now())));
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    return page;
  }

  async function axeSerious(page: Page): Promise<string[]> {
    const source = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // Evaluated through the DevTools protocol, which the page's CSP does not govern.
    await page.evaluate(source);
    const result = await page.evaluate(async () => (globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; help: string }[] }> } }).axe.run());
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`);
  }

  it('shows a call placed through the webhook and media stream live, and staff mark it called back', async () => {
    const started = Date.now();
    const page = await signIn(staffEmail);
    const firstLoadMs = Date.now() - started;
    await page.getByText('Live', { exact: true }).waitFor({ timeout: 10_000 });
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);

    const caller = await h.placeCall({ speed: 2, to: FIRM_NUMBER, from: '+13125550188' });
    scripts.set(caller.callSid, ['Jane Doe']);
    // Live: no reload, the card shows while the call is still going.
    const card = page.locator(`[data-call="${caller.callSid}"]`);
    await card.waitFor({ timeout: 15_000 });
    await caller.waitForPrompt(15_000, 400);
    const greeted = caller.frames.length;
    await caller.speak(800);
    await caller.silence(800);
    await caller.waitFor(() => caller.frames.length > greeted, 8000, 'area question');
    await caller.waitForPrompt(8000, 400);
    caller.dtmf('1');
    await caller.waitFor(() => caller.closedAt !== null, 10_000, 'server hang-up');
    expect(await statusCallback(h, caller.callSid, 'completed', 14)).toBe(204);
    await card.getByRole('link', { name: 'Jane Doe' }).waitFor({ timeout: 10_000 });
    expect(await axeSerious(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: 'docs/screenshots/inbox-1280.png', fullPage: true });

    await card.getByRole('link', { name: 'Jane Doe' }).click();
    await page.getByRole('heading', { name: 'Transcript' }).waitFor();
    const transcript = page.locator('.transcript');
    await expect.poll(() => transcript.innerText()).toContain('Jane Doe');
    expect(await transcript.innerText()).toContain('Hello from Test La');
    expect(await page.locator('.fields').innerText()).toMatch(/Confirmed|Unsure/);
    expect(await axeSerious(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: 'docs/screenshots/call-1280.png', fullPage: true });

    await page.getByRole('button', { name: 'Called back' }).click();
    await page.getByRole('heading', { name: 'Follow-up: Called back' }).waitFor();
    expect(await page.locator('.history').innerText()).toContain(`Called back by ${staffEmail}`);
    const intake = await h.db.db('intakes').where({ call_sid: caller.callSid }).first('review_status', 'reviewed_by');
    expect(intake.review_status).toBe('called_back');

    // Settings are not for staff: no link, and the screen says so when reached by URL.
    await page.goto(`${h.url}/app/#/settings`);
    await page.getByRole('alert').filter({ hasText: 'Settings are for the firm' }).waitFor();
    expect(cspViolations).toEqual([]);
    console.log(`first load to inbox (sign-in included): ${firstLoadMs} ms`);
    await page.close();

    if (SHOTS) {
      const phone = await signIn(staffEmail, 390);
      await phone.getByRole('combobox').selectOption('all');
      await phone.locator(`[data-call="${caller.callSid}"]`).waitFor();
      await phone.screenshot({ path: 'docs/screenshots/inbox-390.png', fullPage: true });
      await phone.locator(`[data-call="${caller.callSid}"] a`).first().click();
      await phone.getByRole('heading', { name: 'Transcript' }).waitFor();
      await phone.screenshot({ path: 'docs/screenshots/call-390.png', fullPage: true });
      await phone.close();
    }
  }, 120_000);

  it('shows settings to the owner, uploads a flow, shows a broken one\'s problem at its line, retries a dead delivery, and signs out', async () => {
    const [row] = await h.db.db('outbox').insert({
      tenant_id: tenantId, action: 'clio.create_intake', args: '{}', idempotency_key: 'e2e-dead-1', status: 'dead', attempts: 12,
      last_error: 'Clio answered 500', next_attempt_at: new Date(Date.now() + 3600_000),
    }).returning('id');
    const deadId = Number(typeof row === 'object' ? row.id : row);
    const page = await signIn(ownerEmail);
    await page.getByRole('link', { name: 'Flows' }).click();
    await page.getByRole('heading', { name: 'Upload a new version' }).waitFor();
    await page.getByLabel('File name (shown in problems)').fill('broken.yaml');
    await page.getByLabel('Flow YAML').fill(flowYaml('next: missing_step'));
    await page.getByRole('button', { name: 'Check and upload' }).click();
    const bad = page.locator('.yaml li.bad');
    await bad.first().waitFor();
    // Line 10 of the YAML is the bad `next:`; the problem is printed under it as file:line:col.
    expect(await bad.first().getAttribute('value')).toBe('10');
    expect(await bad.first().innerText()).toContain('next: missing_step');
    expect(await bad.first().locator('.problem').innerText()).toMatch(/^broken\.yaml:10:\d+: .*missing_step/);
    expect(await h.db.db('flow_versions').count({ n: '*' }).first()).toMatchObject({ n: 0 });
    if (SHOTS) await page.screenshot({ path: 'docs/screenshots/flow-problem-1280.png', fullPage: true });

    await page.getByLabel('Flow YAML').fill(flowYaml('next: bye'));
    await page.getByLabel('Make it the version new calls run').check();
    await page.getByRole('button', { name: 'Check and upload' }).click();
    await page.getByText('Stored intake version 5, now active.').waitFor();
    const graph = page.getByRole('img', { name: /Steps and branches of flow intake version 5/ });
    await graph.waitFor();
    expect(await graph.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(50);
    expect(await axeSerious(page)).toEqual([]);

    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { name: 'Users and roles' }).waitFor();
    await expect.poll(() => page.locator('main').innerText()).toContain(staffEmail);
    // A dead-lettered delivery is retried from the deliveries list: queued again with a fresh budget, audited.
    const dead = page.locator(`[data-outbox="${deadId}"]`);
    await expect.poll(() => dead.innerText()).toContain('Clio answered 500');
    await dead.getByRole('button', { name: /Retry/ }).click();
    await page.getByText(`clio.create_intake #${deadId} queued again.`).waitFor();
    expect(await h.db.db('audit_log').where({ action: 'outbox.retry', target: `outbox:${deadId}` }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    expect((await h.db.db('outbox').where({ id: deadId }).first('attempts')).attempts).toBeLessThan(12);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to HERMES' }).waitFor();
    await page.close();

    // A password change signs every device out; the new password works.
    const again = await signIn(ownerEmail);
    await again.getByRole('link', { name: 'Change password' }).click();
    await again.getByLabel('Current password').fill(PASSWORD);
    await again.getByLabel(/New password/).fill('a brand new passphrase');
    await again.getByRole('button', { name: 'Change password' }).click();
    await again.getByText('Password changed. Sign in with the new one.').waitFor();
    await again.getByLabel('E-mail').fill(ownerEmail);
    await again.getByLabel('Password').fill('a brand new passphrase');
    await again.getByRole('button', { name: 'Sign in' }).click();
    await again.getByRole('heading', { name: 'Inbox' }).waitFor();
    await again.close();
  }, 60_000);
});
