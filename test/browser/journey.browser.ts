import type { Browser, FrameLocator, Page } from 'playwright-core';
import request from 'supertest';
import { startTestApp, TestApp } from '../support/app';
import { DEMO_PRODUCTS } from '../support/demo-month';
import { signIn } from '../support/flows';
import { checkA11y, launchBrowser, navRows, screenshot } from './support/browser';

/**
 * A billing clerk's month, start to finish, in a real browser: install, open ConnectWise, connect AppRiver in the
 * pop-up, map, finish, sync, review, approve, check ConnectWise and the audit trail, the pod, and read-only access.
 */
describe('the whole month in a browser', () => {
  let t: TestApp;
  let browser: Browser;
  let page: Page;
  let app: FrameLocator;
  const a11y: Record<string, string[]> = {};

  async function look(name: string, target: Page = page) {
    await screenshot(target, `journey-${name}`);
    a11y[name] = (await checkA11y(target, { frames: true })).map(
      (v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`,
    );
  }

  beforeAll(async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('installs from /install with what a ConnectWise admin types', async () => {
    await page.goto(`${t.url}/install`);
    await page.fill('#site', 'na.myconnectwise.net');
    await page.fill('#companyId', 'acme');
    await page.fill('#publicKey', 'sandbox-public');
    await page.fill('#privateKey', 'sandbox-private');
    await page.click('#install-button');
    await page.waitForSelector('#install-result .alert-ok');
    expect(await page.textContent('#install-result')).toContain('Menu entry "AppRiver Billing" created');
    await look('install');
  });

  it('opens the app from the ConnectWise menu, signed in as jsmith', async () => {
    await page.goto(`${t.url.replace('localhost', '127.0.0.1')}/sandbox/cw?member=jsmith`);
    const menu = page.locator('a[id^="cw-nav-menu-"]').first();
    await menu.click();
    app = page.frameLocator('#cw-menu-frame');
    await app.locator('#connection-status').waitFor();
    expect(await app.locator('#member-name').textContent()).toMatch(/jsmith/i);
    expect(await app.locator('#status-label').textContent()).toContain('Not connected');
    await look('connect-empty');
  });

  it('connects AppRiver: credentials, Authenticate in the pop-up (Secure Cloud IDP, sign in, Continue), Pending → Ready', async () => {
    await app.locator('#clientId').fill('sandbox-client');
    await app.locator('#clientSecret').fill('sandbox-secret');
    await app.locator('#credentials-form button[type=submit]').click();
    await app.locator('#authenticate').waitFor();
    expect(await app.locator('#clientSecret').getAttribute('placeholder')).toContain('set');
    const [popup] = await Promise.all([page.waitForEvent('popup'), app.locator('#authenticate').click()]);
    await popup.waitForLoadState();
    await screenshot(popup, 'journey-appriver-idp');
    await popup.getByRole('button', { name: /Secure Cloud IDP/ }).click();
    await popup.fill('#username', 'billing@acme.example');
    await popup.fill('#password', 'sandbox');
    await screenshot(popup, 'journey-appriver-signin');
    await popup.getByRole('button', { name: /sign in/i }).click();
    await popup.getByRole('button', { name: 'Continue' }).click();
    await popup.waitForSelector('#oauth-result');
    expect(await popup.textContent('#oauth-result')).toContain('you can close this window');
    await screenshot(popup, 'journey-appriver-connected');
    await popup.close();
    for (let i = 0; i < 50; i++) {
      const label = await app.locator('#status-label').textContent();
      if (label?.includes('Ready to map')) break;
      await app.locator('#refresh-status').click();
      await page.waitForTimeout(200);
    }
    expect(await app.locator('#status-label').textContent()).toContain('Ready to map');
    expect(await app.locator('#status-counts').textContent()).toContain('14 accounts');
    await look('connect-ready');
  });

  const screen = (name: string) => app.locator(`#screen[data-screen="${name}"][aria-busy="false"]`).waitFor();
  const row = (name: string) => app.locator(`tr[data-row][data-name="${name}"]`);
  const pickerOption = (text: string) => app.locator('[data-picker-list] [role=option]', { hasText: text });
  const announced = (text: string) => app.locator('[data-mapping-last]', { hasText: text }).waitFor();

  it('maps accounts: accepts the auto-matches, confirms suggestions, drags one, matches one by keyboard, picks an agreement', async () => {
    await app.locator('#app-nav a[data-screen="accounts"]').click();
    await screen('accounts');
    await expect(app.locator('.filter-btn[data-filter-key="mapped"] .count').textContent()).resolves.toBe(
      '8',
    );
    await look('accounts');
    for (const [name, company] of [
      ['Tailspin Toys', 'Tailspin Toys, Inc.'],
      ['Litware, Inc.', 'Litware Inc'],
    ]) {
      await row(name)
        .getByRole('button', { name: `Confirm ${company} for ${name}` })
        .click();
      await announced(`${name} mapped to ${company}`);
    }
    await pickerOption('Coho Winery & Vineyard').dragTo(row('Coho Winery and Vineyard'));
    await announced('Coho Winery and Vineyard mapped to');
    // Proseware by keyboard only: search the company list, arrow to the company, Enter, then Match on the row.
    await app.locator('#picker-company-search').focus();
    await page.keyboard.type('Proseware');
    await app.locator('[data-picker-status]', { hasText: '1 company matches' }).waitFor();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const match = row('Proseware Inc').locator('button[data-action="match"]');
    await match.focus();
    await page.keyboard.press('Enter');
    await announced('Proseware Inc mapped to Proseware, Inc.');
    await row('Adventure Works Cycles').locator('select[data-agreement]').selectOption('734');
    await announced('Adventure Works - Managed');
    await look('accounts-mapped');
  });

  it('maps services by Product ID search, then finishes', async () => {
    await app.locator('#app-nav a[data-screen="services"]').click();
    await screen('services');
    await app.locator('#picker-product-search').fill('AR-M365-BP');
    await app.locator('[data-picker-status]', { hasText: '1 product matches' }).waitFor();
    await pickerOption('AR-M365-BP').click();
    for (let i = 0; i < 2; i++) {
      await row('Microsoft 365 Business Premium').locator('button[data-action="match"]').nth(0).click();
      await announced('Microsoft 365 Business Premium mapped to AR-M365-BP');
    }
    await look('services');
    // The other nine services the same way, through the API the screen uses (the screen path is covered above).
    const auth = await signIn(t.url);
    const services = (await request(t.url).get('/api/services').set('Authorization', auth)).body.items;
    for (const s of services.filter((x: { mapping: unknown }) => !x.mapping)) {
      const product = DEMO_PRODUCTS[s.productName];
      if (product)
        await request(t.url)
          .put(`/api/services/${s.id}/mapping`)
          .set('Authorization', auth)
          .send({ psaProductId: product })
          .expect(200);
    }
    await app.locator('#app-nav a[data-screen="finish"]').click();
    await screen('finish');
    await look('finish');
    expect(await app.locator('#finish-warnings').textContent()).toContain('Graphic Design Institute');
    await app.locator('#finish-setup').click();
    await screen('usage');
  });

  it('watches the first sync, refreshes, filters, approves, and sees the addition change in ConnectWise', async () => {
    await app.locator('#usage-refresh.btn-pink').waitFor({ timeout: 60000 });
    await app.locator('#usage-refresh').click();
    await app.locator('#tile-to-review strong', { hasText: '14' }).waitFor();
    await look('usage');
    await app.locator('#app-nav a[data-screen="connect"]').click();
    await screen('connect');
    expect(await app.locator('#status-label').textContent()).toContain('Active');
    await app.locator('#app-nav a[data-screen="usage"]').click();
    await screen('usage');
    await app.locator('#sync-now').click();
    await app.locator('#sync-indicator .spinner:visible').waitFor();
    await app.locator('#usage-refresh.btn-pink').waitFor({ timeout: 60000 });
    await app.locator('#usage-refresh').click();
    await screen('usage');
    await app.locator('#filter-kind').selectOption('increase');
    await app.locator('#filter-kind option[value="increase"][selected]').waitFor({ state: 'attached' });
    const contoso = app.locator('tr[data-line-id]', { hasText: 'Contoso Dental Group' });
    await contoso.getByRole('button', { name: 'Approve Contoso Dental Group AR-M365-BP' }).click();
    await contoso.and(app.locator('[data-status="written"]')).waitFor({ timeout: 20000 });
    await look('usage-approved');
    const state = (await request(t.url).get('/sandbox/cw/state')).body;
    const bp = state.agreements
      .find((a: { id: number }) => a.id === 731)
      .additions.find((x: { id: number }) => x.id === 9801);
    expect(bp.quantity).toBe(21);
  });

  it('shows the write in the audit trail', async () => {
    await app.locator('#app-nav a[data-screen="audit"]').click();
    await screen('audit');
    expect(await app.locator('#screen').textContent()).toContain('9801');
    await look('audit');
    await app.locator('#app-nav a[data-screen="settings"]').click();
    await screen('settings');
    await look('settings');
  });

  it('approves from the company pod on Coho Winery’s company screen', async () => {
    const state = (await request(t.url).get('/sandbox/cw/state')).body;
    const podId = state.hostedSetups[0].id;
    await page.goto(`${t.url.replace('localhost', '127.0.0.1')}/sandbox/cw?member=jsmith&company=259`);
    const pod = page.frameLocator(`#cw-pod-frame-${podId}`);
    const etp = pod.locator('tr[data-line-id]', { hasText: 'AR-ETP' });
    await etp.getByRole('button', { name: /^Approve 13 for AR-ETP$/ }).click();
    await etp.and(pod.locator('[data-status="written"]')).waitFor({ timeout: 20000 });
    await look('pod');
  });

  it('gives the viewer read-only screens', async () => {
    await page.goto(`${t.url.replace('localhost', '127.0.0.1')}/sandbox/cw?member=viewer`);
    await page.locator('a[id^="cw-nav-menu-"]').first().click();
    app = page.frameLocator('#cw-menu-frame');
    await screen('usage');
    await app.locator('#read-only-note').waitFor();
    expect(await app.locator('[data-action="approve"]').count()).toBe(0);
    expect(await app.locator('#member-name').textContent()).toContain('read-only');
    // "(read-only)" stays visible in the narrow frame, and the tabs still keep to one line.
    expect(await app.locator('#member-name').isVisible()).toBe(true);
    expect(await navRows(app)).toBe(1);
    await look('usage-viewer');
  });

  afterAll(() => {
    const serious = Object.entries(a11y).filter(([, v]) => v.length);
    if (serious.length) console.log('axe violations', JSON.stringify(serious, null, 1));
  });

  it('has no serious or critical accessibility violations on any screen it visited', () => {
    expect(Object.fromEntries(Object.entries(a11y).filter(([, v]) => v.length))).toEqual({});
  });
});
