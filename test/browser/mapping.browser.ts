import type { Browser, BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { connectDemo, installDemo } from '../support/flows';
import { checkA11y, describeViolations, launchBrowser, screenshot } from './support/browser';

// The mapping screens in a real browser, inside the simulated ConnectWise shell, against the whole app in
// sandbox mode: install, connect AppRiver over HTTP, then map by suggestion, by drag and drop and by keyboard.

describe('mapping screens in the ConnectWise menu entry', () => {
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let app: FrameLocator;
  let menuEntryId: number;

  /** Connect over HTTP (the pop-up flow has its own journey test); installs first when needed. */
  const connectAppRiver = (url: string) => connectDemo(url).then(() => undefined);

  async function expectNoA11yViolations(name: string) {
    const violations = await checkA11y(page, { frames: true });
    if (violations.length)
      throw new Error(`${name}: accessibility violations\n${describeViolations(violations)}`);
  }

  /** The rendered fragment is in and its behaviour has run (app.js sets aria-busy=false after both). */
  async function screenLoaded(name: string) {
    await app.locator(`#screen[data-screen="${name}"][aria-busy="false"]`).waitFor();
  }

  const row = (name: string): Locator => app.locator(`tr[data-row][data-name="${name}"]`);
  const pickerOption = (text: string): Locator =>
    app.locator('[data-picker-list] [role=option]', { hasText: text });

  beforeAll(async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    const installed = await installDemo(t.url);
    const entries = (installed.entries ?? installed.registered ?? []) as { kind: string; id: number }[];
    menuEntryId = entries.find((e) => e.kind === 'menu')?.id ?? 0;
    await connectAppRiver(t.url);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await t?.close();
  });

  /** Tabs forward until `target` has focus; returns the elements Tab went through (the target last). */
  async function tabTo(target: Locator, max = 25): Promise<string[]> {
    const path: string[] = [];
    for (let i = 1; i <= max; i++) {
      await page.keyboard.press('Tab');
      const frame = page.frame({ url: /\/app(\?|#|$)/ });
      path.push(
        (await frame?.evaluate(() => {
          const el = document.activeElement as HTMLElement | null;
          return el
            ? `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''} "${(el.textContent ?? '').trim().slice(0, 30)}"`
            : '';
        })) ?? '?',
      );
      if (await target.evaluate((el) => el === document.activeElement)) return path;
    }
    throw new Error(`Tab never reached ${target}: ${path.join(' → ')}`);
  }

  const isFocused = (target: Locator) => target.evaluate((el) => el === document.activeElement);
  /** Waits until the aria-live region (outside #screen, so reloads keep it) says `text`. */
  async function announced(text: string) {
    const region = app.locator('#mapping-live');
    try {
      await region.filter({ hasText: text }).waitFor({ state: 'attached', timeout: 5000 });
    } catch {
      throw new Error(`#mapping-live says "${await region.textContent()}", not "${text}"`);
    }
  }

  it('opens the app from the ConnectWise menu and shows the accounts', async () => {
    await page.goto(`${t.url}/sandbox/cw?member=jsmith`);
    const link = menuEntryId
      ? page.locator(`#cw-nav-menu-${menuEntryId}`)
      : page.locator('a[id^="cw-nav-menu-"]');
    await link.first().click();
    app = page.frameLocator('#cw-menu-frame');
    await app.locator('#app-nav a[data-screen="accounts"]').click();
    await screenLoaded('accounts');
    await pickerOption('Proseware, Inc.').waitFor();
    expect(await app.locator('[data-picker-status]').textContent()).toContain('14 companies');
    expect(await app.locator('#unmapped-queue').textContent()).toMatch(/5\s+billable accounts unmapped/);
    await expect(row('Contoso Dental Group').textContent()).resolves.toContain('External account number');
    await screenshot(page, 'mapping-accounts');
    await expectNoA11yViolations('accounts');
  });

  it('confirms a suggestion with one click', async () => {
    await row('Tailspin Toys')
      .getByRole('button', { name: 'Confirm Tailspin Toys, Inc. for Tailspin Toys' })
      .click();
    await screenLoaded('accounts');
    await expect(row('Tailspin Toys').locator('.badge').first().textContent()).resolves.toBe('Mapped');
    const text = await row('Tailspin Toys').textContent();
    expect(text).toContain('Suggestion confirmed');
    expect(text).toContain('Tailspin - Managed Services');
    await app
      .locator('[data-mapping-last]', { hasText: 'Tailspin Toys mapped to Tailspin Toys, Inc.' })
      .waitFor();
    await announced('Tailspin Toys mapped to Tailspin Toys, Inc.');
  });

  it('maps by dragging a company onto an account', async () => {
    const source = pickerOption('Coho Winery & Vineyard');
    const target = row('Coho Winery and Vineyard');
    // The target is highlighted while the company is dragged over it.
    await source.hover();
    await page.mouse.down();
    const box = (await target.locator('th').boundingBox())!;
    await page.mouse.move(box.x + 20, box.y + 10, { steps: 5 });
    await page.mouse.move(box.x + 30, box.y + 12, { steps: 3 });
    await expect(target.getAttribute('class')).resolves.toContain('is-drop-target');
    await screenshot(page, 'mapping-accounts-dragging');
    await page.mouse.up();
    await screenLoaded('accounts');
    await app.locator('[data-mapping-last]', { hasText: 'Coho Winery and Vineyard mapped to' }).waitFor();

    // And once more with playwright's dragTo, after undoing it.
    await row('Coho Winery and Vineyard').getByRole('button', { name: 'Unmap' }).click();
    await app.locator('[data-mapping-last]', { hasText: 'Coho Winery and Vineyard unmapped.' }).waitFor();
    await screenLoaded('accounts');
    await pickerOption('Coho Winery & Vineyard').dragTo(row('Coho Winery and Vineyard'));
    await app
      .locator('[data-mapping-last]', {
        hasText: 'Coho Winery and Vineyard mapped to Coho Winery & Vineyard.',
      })
      .waitFor();
    await screenLoaded('accounts');
    const text = await row('Coho Winery and Vineyard').textContent();
    expect(text).toContain('Mapped');
    expect(text).toContain('Manual · jsmith');
    expect(text).toContain('Coho Winery - Managed');
  });

  it('maps by keyboard alone: search, arrow, Enter, Tab to Match, Enter', async () => {
    // Narrow the accounts to the one to map (type in the account search, Enter).
    await app.locator('#accounts-search').focus();
    await page.keyboard.type('Proseware');
    await page.keyboard.press('Enter');
    await app.locator('#screen[aria-busy="false"] #accounts-search[value="Proseware"]').waitFor();
    await expect(app.locator('tr[data-row]').count()).resolves.toBe(1);

    const search = app.locator('#picker-company-search');
    await search.focus();
    await page.keyboard.type('Proseware');
    await app.locator('[data-picker-status]', { hasText: '1 company matches “Proseware”' }).waitFor();
    await expect(app.locator('[data-picker-list] [role=option]').count()).resolves.toBe(1);
    await page.keyboard.press('ArrowDown');
    const list = app.locator('[data-picker-list]');
    expect(await isFocused(list)).toBe(true);
    await expect(list.getAttribute('aria-activedescendant')).resolves.toBe('picker-company-opt-263');
    await page.keyboard.press('Enter');
    await expect(pickerOption('Proseware, Inc.').getAttribute('aria-selected')).resolves.toBe('true');
    await announced('Selected Proseware, Inc.');

    const match = row('Proseware Inc').locator('button[data-action="match"]');
    await expect(match.textContent()).resolves.toBe('Match with Proseware, Inc.');
    const tabs = await tabTo(match);
    // Selection → its Clear and "Go to the accounts" → the filters and search → the row: suggestion, Match.
    expect(tabs.slice(0, 2)).toEqual(['button "Clear selected company"', 'button "Go to the accounts"']);
    expect(tabs.length).toBeLessThanOrEqual(13);
    await screenshot(page, 'mapping-accounts-keyboard');
    await page.keyboard.press('Enter');
    await app
      .locator('[data-mapping-last]', { hasText: 'Proseware Inc mapped to Proseware, Inc.' })
      .waitFor();
    await screenLoaded('accounts');
    // Focus comes back to the row, and the left pane kept its search and selection.
    expect(await isFocused(row('Proseware Inc').locator('th'))).toBe(true);
    await expect(row('Proseware Inc').locator('.badge').first().textContent()).resolves.toBe('Mapped');
    await expect(search.inputValue()).resolves.toBe('Proseware');
    await expect(pickerOption('Proseware, Inc.').getAttribute('aria-selected')).resolves.toBe('true');
    await announced('Proseware Inc mapped to Proseware, Inc. Agreement: Proseware - Managed.');

    // The shortcut past the filters: Tab from the list to "Go to the accounts", Enter.
    await app.locator('[data-params="filter=unmapped"]').first().click();
    await screenLoaded('accounts');
    await list.focus();
    await tabTo(app.locator('[data-skip-rows]'), 3);
    await page.keyboard.press('Enter');
    const first = app.locator('tr[data-row]').first().locator('button[data-action="match"]');
    expect(await isFocused(first)).toBe(true);
    await expect(first.textContent()).resolves.toBe('Match with Proseware, Inc.');
  });

  it('lists every mapped account under Mapped, and picks an agreement where there are several', async () => {
    await app.locator('.filter-btn[data-filter-key="mapped"]').click();
    await screenLoaded('accounts');
    for (const name of [
      'Tailspin Toys',
      'Coho Winery and Vineyard',
      'Proseware Inc',
      'Contoso Dental Group',
    ]) {
      await expect(row(name).locator('.badge').first().textContent()).resolves.toBe('Mapped');
    }
    const select = row('Adventure Works Cycles').locator('select[data-agreement]');
    await app.locator('select[data-agreement] option[value="735"]').waitFor({ state: 'attached' });
    await expect(select.locator('option').allTextContents()).resolves.toEqual([
      'Choose…',
      'Adventure Works - Managed (Managed Services)',
      'Adventure Works - Cloud (Cloud Services)',
    ]);
    await screenshot(page, 'mapping-accounts-mapped');
    await select.selectOption('735');
    await app
      .locator('[data-mapping-last]', {
        hasText: 'Adventure Works Cycles: agreement set to Adventure Works - Cloud',
      })
      .waitFor();
    await screenLoaded('accounts');
    const text = await row('Adventure Works Cycles').textContent();
    expect(text).toContain('Agreement: Adventure Works - Cloud');
    expect(text).toContain('External account number'); // picking the agreement keeps how it was matched
    await expectNoA11yViolations('accounts, mapped');
  });

  it('excludes and includes an account, and runs auto-match again', async () => {
    await app.locator('.filter-btn[data-filter-key="all"]').click();
    await screenLoaded('accounts');
    await row('Wingtip Toys').getByRole('button', { name: 'Exclude' }).click();
    await app
      .locator('[data-mapping-last]', { hasText: 'Wingtip Toys excluded from reconciliation.' })
      .waitFor();
    await screenLoaded('accounts');
    await expect(row('Wingtip Toys').locator('.badge').first().textContent()).resolves.toBe('Excluded');
    await expect(row('Wingtip Toys').getAttribute('data-drop')).resolves.toBeNull();
    await expect(app.locator('.filter-btn[data-filter-key="excluded"] .count').textContent()).resolves.toBe(
      '1',
    );

    await row('Wingtip Toys').getByRole('button', { name: 'Include' }).click();
    await app.locator('[data-mapping-last]', { hasText: 'Wingtip Toys included again.' }).waitFor();
    await screenLoaded('accounts');
    await expect(row('Wingtip Toys').locator('.badge').first().textContent()).resolves.toBe('Unmapped');

    await app.locator('#run-auto-match').click();
    await app
      .locator('[data-mapping-last]', {
        hasText: /^Auto-match: 0 new exact matches, \d+ accounts? with suggestions\.$/,
      })
      .waitFor();
    await screenLoaded('accounts');
    // What people decided stays: the confirmed, dragged and keyboard mappings are still there.
    for (const name of ['Tailspin Toys', 'Coho Winery and Vineyard', 'Proseware Inc']) {
      await expect(row(name).locator('.badge').first().textContent()).resolves.toBe('Mapped');
    }
  });

  it('maps a service by searching its Product ID', async () => {
    await app.locator('#app-nav a[data-screen="services"]').click();
    await screenLoaded('services');
    await app.locator('[data-picker-list] [role=option]').first().waitFor();
    await screenshot(page, 'mapping-services');
    await expectNoA11yViolations('services');

    await app.locator('#picker-product-search').fill('AR-M365-BP');
    await app.locator('[data-picker-status]', { hasText: '1 product matches “AR-M365-BP”' }).waitFor();
    await pickerOption('AR-M365-BP').click();
    const premium = row('Microsoft 365 Business Premium').first();
    await premium.getByRole('button', { name: 'Match with AR-M365-BP' }).click();
    await app
      .locator('[data-mapping-last]', { hasText: 'Microsoft 365 Business Premium mapped to AR-M365-BP.' })
      .waitFor();
    await screenLoaded('services');
    const text = await row('Microsoft 365 Business Premium').first().textContent();
    expect(text).toContain('Mapped');
    expect(text).toContain('AR-M365-BP');
    expect(text).toContain('jsmith');

    // A suggestion, confirmed, for the second one.
    await row('Security Awareness Training')
      .getByRole('button', { name: 'Confirm AR-SAT for Security Awareness Training' })
      .click();
    await app
      .locator('[data-mapping-last]', { hasText: 'Security Awareness Training mapped to AR-SAT.' })
      .waitFor();
    await screenLoaded('services');
    await screenshot(page, 'mapping-services-mapped');
  });

  it('reviews on Finish and starts the first sync', async () => {
    await app.locator('#next-finish').click();
    await screenLoaded('finish');
    const services = await app.locator('#review-services').textContent();
    expect(services).toContain('AR-M365-BP');
    expect(services).toContain('AR-SAT');
    const accounts = await app.locator('#review-accounts').textContent();
    for (const name of ['Tailspin Toys', 'Coho Winery and Vineyard', 'Proseware Inc'])
      expect(accounts).toContain(name);
    await expect(app.locator('tr.row-flag', { hasText: 'Graphic Design Institute' }).count()).resolves.toBe(
      1,
    );
    await expect(app.locator('#finish-blockers').count()).resolves.toBe(0);
    await expect(app.locator('#finish-warnings').textContent()).resolves.toContain(
      'Graphic Design Institute',
    );
    const finish = app.locator('#finish-setup');
    await expect(finish.isEnabled()).resolves.toBe(true);
    await screenshot(page, 'mapping-finish');
    await app.locator('#review-accounts').scrollIntoViewIfNeeded();
    await screenshot(page, 'mapping-finish-review');
    await expectNoA11yViolations('finish');

    await finish.click();
    await app.locator('#toast', { hasText: 'Setup finished' }).waitFor();
    await page.frame({ url: /\/app/ })!.waitForFunction(() => window.location.hash === '#usage');
  });

  it('shows a read-only member the screens without drag, Match or Confirm', async () => {
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const vp = await viewer.newPage();
    try {
      await vp.goto(`${t.url}/sandbox/cw?member=viewer`);
      await vp.locator('a[id^="cw-nav-menu-"]').first().click();
      const frame = vp.frameLocator('#cw-menu-frame');
      await frame.locator('#app-nav a[data-screen="accounts"]').click();
      await frame.locator('#screen[data-screen="accounts"][aria-busy="false"]').waitFor();
      await frame.locator('[data-picker-list] li', { hasText: 'Proseware, Inc.' }).waitFor();
      await expect(frame.locator('#read-only-note').textContent()).resolves.toContain(
        'Read-only: you can look but not change',
      );
      await expect(frame.locator('[draggable="true"]').count()).resolves.toBe(0);
      await expect(
        frame.locator('button', { hasText: /^(Match|Confirm|Unmap|Exclude|Include)\b(?!ed)/ }).count(),
      ).resolves.toBe(0);
      await expect(frame.locator('[role=listbox]').count()).resolves.toBe(0);
      await screenshot(vp, 'mapping-accounts-readonly');
      const violations = await checkA11y(vp, { frames: true });
      if (violations.length) throw new Error(`read-only accounts\n${describeViolations(violations)}`);
    } finally {
      await viewer.close();
    }
  });
});
