// The Firm settings section and Stripe in a real browser (Debian's chromium via playwright-core) against a real
// HERMES: the owner sees the flow's defaults beside empty facts, reorders the on-call list, is told next to the input
// that a number is not a phone number, saves, and the API then answers the new facts (and /api/on-call says the firm's
// list replaced the flow's); the owner connects Stripe against the fake Stripe (the real SDK checks the key) and is
// shown the webhook URL to create; a staff user can neither reach the section nor change the facts through the API.
// axe finds nothing serious at 1280 and 390 px. Skips without /usr/bin/chromium unless REQUIRE_BROWSER=1.
// UPDATE_SCREENSHOTS=1 rewrites docs/screenshots/settings-firm-*.png.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, createUser } from '../../src/auth/users.js';
import { tokenFor, validFlow } from '../api/helpers.js';
import { StripeFake } from '../fakes/stripe-server.js';
import { PUBLIC_URL, startHarness, type Harness } from '../telephony/harness.js';
import { axeSerious, ensureAppBuilt } from './e2e-helpers.js';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_BROWSER = existsSync(CHROMIUM);
const REQUIRED = process.env.REQUIRE_BROWSER === '1';
const SHOTS = process.env.UPDATE_SCREENSHOTS === '1';
const PASSWORD = 'correct horse battery staple';

if (!HAVE_BROWSER && REQUIRED) {
  describe('firm settings in a browser', () => {
    it('needs chromium (REQUIRE_BROWSER=1)', () => {
      throw new Error(`REQUIRE_BROWSER=1 but there is no browser at ${CHROMIUM}: apt-get install -y chromium`);
    });
  });
}

describe.skipIf(!HAVE_BROWSER)('firm settings and Stripe in a browser', () => {
  type Browser = import('playwright-core').Browser;
  type Page = import('playwright-core').Page;
  let h: Harness;
  let browser: Browser;
  const stripe = new StripeFake();
  let tenantId = 0;
  let owner = '';
  let staff = '';

  beforeAll(async () => {
    await ensureAppBuilt();
    await stripe.start();
    h = await startHarness({ db: 'sqlite', deepgram: null, config: { encryptionKey: '33'.repeat(32), stripeApiUrl: stripe.url } });
    const t = await createTenant(h.db.db, { slug: 'beta-law', name: 'Beta Law LLP', timezone: 'America/Chicago' });
    tenantId = t.id;
    owner = (await createUser(h.db.db, { tenantId, email: 'owner@beta-law.example', role: 'owner', password: PASSWORD })).email;
    staff = (await createUser(h.db.db, { tenantId, email: 'clerk@beta-law.example', role: 'staff', password: PASSWORD })).email;
    // The firm's flow says who is on call; the firm sets nothing yet, so that is what a transfer rings.
    const yaml = validFlow(3).replace(/^firm:\n/m, 'firm:\n  on_call: ["+13125550111", "+13125550122"]\n  consultation_fee: 75\n');
    const up = await h.app.inject({ method: 'POST', url: '/api/flows', headers: { authorization: `Bearer ${await tokenFor(h.app, owner)}` }, payload: { yaml, activate: true } });
    expect(up.statusCode).toBe(201);
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await h?.close();
    await stripe.stop();
  });

  async function signIn(email: string, width = 1280): Promise<Page> {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(`${h.url}/app/`);
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    return page;
  }
  const api = async (email: string, method: 'GET' | 'PUT', url: string, payload?: object) =>
    h.app.inject({ method, url, headers: { authorization: `Bearer ${await tokenFor(h.app, email)}` }, ...(payload ? { payload } : {}) });

  it('the owner reorders the on-call list and sets the fee, is shown a bad number by its input, and saves', async () => {
    const page = await signIn(owner);
    await page.goto(`${h.url}/app/#/settings`);
    const firm = page.locator('section[aria-labelledby="f-h"]');
    await firm.getByLabel('Firm name').waitFor();
    expect(await firm.getByLabel('Firm name').inputValue()).toBe('Beta Law LLP');
    // Empty facts show the flow's defaults beside them.
    // The defaults arrive with the flows, a request of their own: wait for them rather than read the loading line.
    await firm.locator('#f-on_call-def', { hasText: '(312) 555-0111, (312) 555-0122' }).waitFor();
    expect(await firm.locator('#f-consultation_fee-def').innerText()).toContain('$75');

    await firm.getByRole('button', { name: 'Add on-call number' }).click();
    await firm.getByLabel('On-call number 1', { exact: true }).fill('312 555 0133');
    await firm.getByRole('button', { name: 'Add on-call number' }).click();
    await firm.getByLabel('On-call number 2', { exact: true }).fill('555');
    await firm.getByLabel(/^Consultation fee/).fill('150');
    await firm.getByRole('button', { name: 'Save firm facts' }).click();
    const err = firm.locator('#f-on_call-err');
    await err.waitFor();
    expect(await err.innerText()).toContain('"555" is not a phone number');
    expect(await firm.locator('#f-on_call').getAttribute('aria-invalid')).toBe('true');
    // Nothing was stored: one bad fact refuses the whole change.
    expect((await api(owner, 'GET', '/api/firm')).json()).toMatchObject({ on_call: [], consultation_fee: null });

    await firm.getByLabel('On-call number 2', { exact: true }).fill('(312) 555-0144');
    await firm.getByRole('button', { name: 'Up: move on-call number 2 up' }).click();
    expect(await firm.getByLabel('On-call number 1', { exact: true }).inputValue()).toBe('(312) 555-0144');
    await firm.getByRole('button', { name: 'Add a holiday' }).click();
    await firm.getByLabel('Holiday 1', { exact: true }).fill('2026-12-25');
    await firm.getByLabel('Saturday').check();
    await firm.getByLabel('Opens').fill('09:00');
    await firm.getByLabel('Closes').fill('17:30');
    for (const d of ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday']) await firm.getByLabel(d).check();
    await firm.getByRole('button', { name: 'Save firm facts' }).click();
    await firm.getByText('Firm facts saved.').waitFor();
    expect(await err.count()).toBe(0);

    const facts = (await api(owner, 'GET', '/api/firm')).json();
    expect(facts).toMatchObject({
      on_call: ['+13125550144', '+13125550133'], consultation_fee: 150, holidays: ['2026-12-25'],
      business_hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat'], open: '09:00', close: '17:30' },
    });
    // The on-call screen and route now say the firm's list rings, in the firm's order.
    const lists = (await api(owner, 'GET', '/api/on-call')).json() as { flowId: string; numbers: string[]; source: string }[];
    expect(lists.find((l) => l.flowId === 'intake')).toMatchObject({ numbers: ['+13125550144', '+13125550133'], source: 'firm' });
    await expect.poll(() => page.locator('[data-oncall="intake"]').innerText()).toMatch(/\(312\) 555-0144[\s\S]*\(312\) 555-0133[\s\S]*firm's own list/);

    expect(await axeSerious(page)).toEqual([]);
    if (SHOTS) await firm.screenshot({ path: 'docs/screenshots/settings-firm-1280.png' });
    await page.close();
  }, 90_000);

  it('the owner connects Stripe (key checked with Stripe) and is shown the webhook URL, then disconnects', async () => {
    const page = await signIn(owner);
    await page.goto(`${h.url}/app/#/settings`);
    const box = page.locator('[data-integration="stripe"]');
    await box.getByLabel(/^Secret key/).waitFor();
    await expect.poll(() => page.locator('[data-fee-provider]').innerText()).toContain('LawPay');
    await box.getByLabel(/^Secret key/).fill(stripe.secretKey);
    await box.getByLabel(/^Webhook signing secret/).fill('whsec_e2eSigningSecret');
    // The button stays off until the admin confirms the account is not a trust account.
    expect(await box.getByRole('button', { name: 'Connect Stripe' }).isDisabled()).toBe(true);
    await box.getByLabel("This Stripe account pays out to the firm's operating account, never to trust (IOLTA)").check();
    await box.getByRole('button', { name: 'Connect Stripe' }).click();
    const url = box.getByLabel(/^Webhook URL to create in Stripe/);
    await url.waitFor();
    expect(await url.inputValue()).toBe(`${PUBLIC_URL}/integrations/stripe/webhook/${tenantId}`);
    expect(await box.innerText()).toContain('Test mode');
    expect(stripe.requests.some((r) => r.method === 'GET' && r.path === '/v1/account' && r.auth === `Bearer ${stripe.secretKey}`)).toBe(true);
    await expect.poll(() => page.locator('[data-fee-provider]').innerText()).toContain('Stripe');
    expect(await page.locator('main').innerText()).not.toContain(stripe.secretKey);
    expect(await axeSerious(page)).toEqual([]);

    page.once('dialog', (d) => void d.accept());
    await box.getByRole('button', { name: 'Disconnect Stripe' }).click();
    await page.getByText('Stripe disconnected.').waitFor();
    expect(await h.db.db('integration_credentials').where({ tenant_id: tenantId, provider: 'stripe' }).count({ n: '*' }).first()).toMatchObject({ n: 0 });
    await expect.poll(() => page.locator('[data-fee-provider]').innerText()).toContain('LawPay');
    await page.close();
  }, 60_000);

  it('the Firm section fits a phone and axe finds nothing serious there', async () => {
    const phone = await signIn(owner, 390);
    await phone.goto(`${h.url}/app/#/settings`);
    const firm = phone.locator('section[aria-labelledby="f-h"]');
    await firm.getByLabel('On-call number 2', { exact: true }).waitFor();
    expect(await phone.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(await axeSerious(phone)).toEqual([]);
    if (SHOTS) await firm.screenshot({ path: 'docs/screenshots/settings-firm-390.png' });
    await phone.close();
  }, 60_000);

  it('a staff user cannot reach the Firm section or change the facts, even through the API with their own session', async () => {
    const page = await signIn(staff);
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);
    await page.goto(`${h.url}/app/#/settings`);
    await page.getByRole('alert').filter({ hasText: 'Settings are for the firm' }).waitFor();
    expect(await page.locator('#f-h').count()).toBe(0);
    // The browser's own access token, as the app would send it.
    const token = String(await page.evaluate("sessionStorage.getItem('hermes.access')"));
    const put = await h.app.inject({ method: 'PUT', url: '/api/firm', headers: { authorization: `Bearer ${token}` }, payload: { consultation_fee: 0 } });
    expect(put.statusCode).toBe(403);
    // Reading stays open to every role; the fee is still the owner's.
    expect((await api(staff, 'GET', '/api/firm')).json()).toMatchObject({ consultation_fee: 150 });
    await page.close();
  }, 60_000);
});
