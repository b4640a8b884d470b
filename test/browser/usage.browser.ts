import request from 'supertest';
import type { Browser, BrowserContext, FrameLocator, Locator, Page } from 'playwright-core';
import { startTestApp, TestApp } from '../support/app';
import { syncDemo } from '../support/demo-month';
import { checkA11y, describeViolations, launchBrowser, navRows, screenshot } from './support/browser';

// The month's review in a real browser, inside the simulated ConnectWise shell, against the whole app in sandbox
// mode: the demo world mapped and synced over HTTP, then Sync now, Refresh, filter, approve (on the Usage screen
// and from the Company pod), Audit and Settings, as an MSP's billing person would.

type Json = Record<string, any>;

describe('usage review in the ConnectWise menu entry and the company pod', () => {
  let t: TestApp;
  let auth: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let app: FrameLocator;
  let menuEntryId: number;
  let podSetupId: number;

  const cwState = async (): Promise<Json> => (await request(t.url).get('/sandbox/cw/state').expect(200)).body;
  const addition = async (id: number): Promise<Json> =>
    (await cwState()).agreements.flatMap((a: Json) => a.additions).find((a: Json) => a.id === id);

  async function expectNoA11yViolations(name: string) {
    const violations = await checkA11y(page, { frames: true });
    if (violations.length)
      throw new Error(`${name}: accessibility violations\n${describeViolations(violations)}`);
  }

  /** The fragment is in and its behaviour has run (app.js sets aria-busy=false after both). */
  async function screenLoaded(frame: FrameLocator, name: string) {
    await frame.locator(`#screen[data-screen="${name}"][aria-busy="false"]`).waitFor();
  }

  const line = (frame: FrameLocator, label: string): Locator =>
    frame.locator(`tr[data-line-id][data-label="${label}"]`);

  async function openApp(member = 'jsmith') {
    await page.goto(`${t.url}/sandbox/cw?member=${member}`);
    await page.locator(`#cw-nav-menu-${menuEntryId}`).click();
    app = page.frameLocator('#cw-menu-frame');
    await app.locator('#app-nav a[data-screen="usage"]').waitFor();
  }

  async function goTo(name: string) {
    await app.locator(`#app-nav a[data-screen="${name}"]`).click();
    await screenLoaded(app, name);
  }

  beforeAll(async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    auth = await syncDemo(t.url);
    const state = await cwState();
    menuEntryId = state.menuEntries[0].id;
    podSetupId = state.hostedSetups.find((s: Json) => s.type === 'Pod').id;
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await request(t.url).delete('/sandbox/faults');
    await t?.close();
  });

  it('opens Usage from the ConnectWise menu with the tiles, the indicator and the lines', async () => {
    await openApp();
    await goTo('usage');
    expect(await app.locator('#app-nav a[aria-current="page"]').textContent()).toBe('Usage');
    expect(await app.locator('#tile-to-review strong').textContent()).toBe('14');
    expect(await app.locator('#tile-revenue strong').textContent()).toBe('+$196.50');
    expect(await app.locator('tr[data-line-id]').count()).toBe(14);
    await app.locator('#sync-indicator .sync-text', { hasText: 'Last sync:' }).waitFor();
    expect(await app.locator('#sync-indicator .sync-label').textContent()).toBe('Sync Status');
    expect(await app.locator('#usage-refresh').getAttribute('class')).not.toContain('btn-pink');
    expect(await app.locator('[data-action="approve-shown"]').textContent()).toBe('Approve all shown (10)');
    // In a 1280 px ConnectWise window the row's Approve button is on screen, not behind a horizontal scroll.
    const fit = await app.locator('.table-wrap').evaluate((wrap) => ({
      scroll: wrap.scrollWidth,
      client: wrap.clientWidth,
    }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    expect(await navRows(app)).toBe(1);
    await screenshot(page, 'usage');
    await expectNoA11yViolations('usage');
  });

  it('exports the lines shown as CSV through the bearer-authenticated API', async () => {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      app.locator('#usage-export').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^appriver-usage-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = await new Promise<string>((resolve, reject) => {
      void download.createReadStream().then((stream) => {
        let text = '';
        stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        stream.on('end', () => resolve(text));
        stream.on('error', reject);
      }, reject);
    });
    const rows = csv.trim().split('\r\n');
    expect(rows[0]).toContain('Product ID');
    expect(rows).toHaveLength(15); // the header and the 14 lines to review
    expect(csv).toContain('Litware, Inc.');
  });

  it('syncs now: the indicator spins with progress, then Refresh lights up and shows the new run', async () => {
    const shownRun = Number(await app.locator('[data-usage]').getAttribute('data-run-id'));
    // Slow the simulators down so the run can be watched.
    await request(t.url).post('/sandbox/faults').send({ latencyMs: 120 }).expect(200);
    await app.locator('#sync-now').click();
    await app.locator('#sync-indicator .sync-state[data-state="running"]').waitFor();
    await app.locator('#sync-indicator .spinner:visible').waitFor();
    await app.locator('#sync-indicator .sync-progress', { hasText: /\d+\/\d+/ }).waitFor({ timeout: 20000 });
    expect(await app.locator('#sync-indicator .sync-state').textContent()).toMatch(/^Syncing… \d+\/\d+$/);
    expect(await app.locator('#sync-now').isDisabled()).toBe(true);
    await app.locator('#usage-syncing').waitFor(); // the Usage screen says so too
    await screenshot(page, 'usage-syncing');

    const refresh = app.locator('#usage-refresh.btn-pink');
    await refresh.waitFor({ timeout: 60000 });
    await request(t.url).delete('/sandbox/faults').expect(200);
    expect(await refresh.textContent()).toBe('Refresh — new data');
    await app.locator('#sync-indicator .sync-text', { hasText: 'Last sync:' }).waitFor();
    await screenshot(page, 'usage-refresh-lit');

    await refresh.click();
    await app.locator(`[data-usage]:not([data-run-id="${shownRun}"])`).waitFor();
    expect(Number(await app.locator('[data-usage]').getAttribute('data-run-id'))).toBeGreaterThan(shownRun);
    expect(await app.locator('#usage-refresh').getAttribute('class')).not.toContain('btn-pink');
    expect(await app.locator('#usage-refresh').textContent()).toBe('Refresh');
    expect(await app.locator('#tile-to-review strong').textContent()).toBe('14');
  });

  it('filters by kind and sorts by a column header', async () => {
    await app.locator('#filter-kind').selectOption('increase');
    await app.locator('#filter-kind option[value="increase"][selected]').waitFor({ state: 'attached' });
    await screenLoaded(app, 'usage');
    const kinds = await app
      .locator('tr[data-line-id]')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-kind')));
    expect(kinds).toEqual(['increase', 'increase', 'increase', 'increase']);
    await app.locator('th button.sort-btn', { hasText: 'Revenue / month' }).click();
    await app.locator('th[aria-sort="descending"] button', { hasText: 'Revenue / month' }).waitFor();
    expect(await app.locator('#filter-kind').inputValue()).toBe('increase');
    await screenshot(page, 'usage-filtered');
    await expectNoA11yViolations('usage filtered');
  });

  it("approves Contoso's Business Premium line and shows it written to ConnectWise", async () => {
    const contoso = line(app, 'Contoso Dental Group AR-M365-BP');
    expect(await contoso.locator('.qty-input').inputValue()).toBe('21');
    await contoso.getByRole('button', { name: 'Approve Contoso Dental Group AR-M365-BP' }).click();
    await app.locator('#usage-results', { hasText: 'Approved 1 line' }).waitFor();
    await contoso.and(app.locator('[data-status="written"]')).waitFor({ timeout: 20000 });
    expect(await contoso.locator('.col-status').textContent()).toContain('Written');
    expect(await contoso.locator('.col-status').textContent()).toContain('Qty 21 · jsmith');
    expect(await contoso.locator('[data-action="approve"]').count()).toBe(0);
    expect(await app.locator('#tile-written strong').textContent()).toBe('1');
    expect(await app.locator('#tile-to-review strong').textContent()).toBe('13');
    expect((await addition(9801)).quantity).toBe(21);
    await screenshot(page, 'usage-approved');
  });

  it('approves a typed quantity with the keyboard', async () => {
    await app.locator('#filter-kind').selectOption('decrease');
    await app.locator('#filter-kind option[value="decrease"][selected]').waitFor({ state: 'attached' });
    await screenLoaded(app, 'usage');
    const fabrikam = line(app, 'Fabrikam Legal LLP AR-EXO-P1');
    const qty = fabrikam.locator('.qty-input');
    expect(await qty.inputValue()).toBe('27');
    await qty.fill('28');
    await qty.press('Enter');
    await fabrikam.and(app.locator('[data-status="written"]')).waitFor({ timeout: 20000 });
    expect(await fabrikam.locator('.col-status').textContent()).toContain('Qty 28');
    expect((await addition(9806)).quantity).toBe(28);
  });

  it('opens a note inline, saves it and shows it on the line', async () => {
    const woodgrove = line(app, 'Woodgrove Bank AR-ETP');
    await woodgrove.getByRole('button', { name: 'Note on Woodgrove Bank AR-ETP' }).click();
    const id = await woodgrove.getAttribute('data-line-id');
    const input = app.locator(`#note-${id}`);
    await expect(input.evaluate((el) => el === document.activeElement)).resolves.toBe(true);
    await input.fill('Customer confirmed 96 seats by email');
    await input.press('Enter');
    await woodgrove.locator('.line-note', { hasText: 'Customer confirmed 96 seats' }).waitFor();
    expect(await app.locator(`#note-row-${id}`).isHidden()).toBe(true);
  });

  it('approves the selected lines in one go', async () => {
    // Still on "Decrease": Fabrikam is written, the two Woodgrove lines are left.
    await app.locator('#select-all').check();
    const approveSelected = app.locator('[data-action="approve-selected"]');
    expect(await approveSelected.textContent()).toBe('Approve selected (2)');
    expect(await app.locator('tr.line.is-selected').count()).toBe(2);
    await approveSelected.click();
    await app.locator('#usage-results', { hasText: 'Approved 2 lines' }).waitFor();
    for (const label of ['Woodgrove Bank AR-ETP', 'Woodgrove Bank AR-EXO-P1'])
      await line(app, label).and(app.locator('[data-status="written"]')).waitFor({ timeout: 20000 });
    expect(await approveSelected.isDisabled()).toBe(true);
    expect((await addition(9815)).quantity).toBe(96); // Woodgrove ETP
    await screenshot(page, 'usage-approved-selected');
  });

  it('dismisses a line that needs attention for this period', async () => {
    await app.locator('#filter-kind').selectOption('needs_attention');
    await app
      .locator('#filter-kind option[value="needs_attention"][selected]')
      .waitFor({ state: 'attached' });
    await screenLoaded(app, 'usage');
    const fourth = line(app, 'Fourth Coffee AR-C2CB');
    expect(await fourth.locator('[data-action="approve"]').count()).toBe(0);
    expect(await fourth.textContent()).toContain('Subscription is Installing in AppRiver');
    await fourth.getByRole('button', { name: 'Dismiss Fourth Coffee AR-C2CB' }).click();
    await app.locator('#usage-results', { hasText: 'Dismissed 1 line for this period.' }).waitFor();
    await fourth.and(app.locator('[data-status="dismissed"]')).waitFor();
    expect(await fourth.locator('.col-status').textContent()).toContain('by jsmith');
    await screenshot(page, 'usage-needs-attention');
    await expectNoA11yViolations('usage needs attention');
  });

  it("approves a line from the company pod on Coho's company screen, within the pod's 300 px", async () => {
    await page.goto(`${t.url}/sandbox/cw?member=jsmith&company=259`);
    const pod = page.frameLocator(`#cw-pod-frame-${podSetupId}`);
    await screenLoaded(pod, 'pod');
    const rows = pod.locator('tr[data-line-id]');
    expect(await rows.count()).toBe(2);
    const etp = pod.locator('tr[data-line-id]', { hasText: 'AR-ETP' });
    expect(await etp.textContent()).toContain('Increase');
    await screenshot(page, 'pod-coho');
    await expectNoA11yViolations('company pod');
    const height = await page.locator(`#cw-pod-frame-${podSetupId}`).evaluate((f) => {
      const doc = (f as HTMLIFrameElement).contentDocument!;
      const frame = f as HTMLIFrameElement;
      return {
        outer: frame.offsetHeight,
        inner: frame.clientHeight,
        content: doc.documentElement.scrollHeight,
      };
    });
    expect(height.outer).toBe(300);
    expect(height.content).toBeLessThanOrEqual(height.inner); // no scrolling inside the pod

    await etp.getByRole('button', { name: /^Approve 13 for AR-ETP$/ }).click();
    await pod.locator('#pod-results', { hasText: 'Approved 1 line' }).waitFor();
    await etp.and(pod.locator('[data-status="written"]')).waitFor({ timeout: 20000 });
    expect(await etp.textContent()).toContain('Written');
    const coho = (await cwState()).agreements.find((a: Json) =>
      a.additions.some((x: Json) => x.product?.identifier === 'AR-ETP' && x.quantity === 13),
    );
    expect(coho).toBeTruthy();
    await screenshot(page, 'pod-coho-approved');
    const after = await page.locator(`#cw-pod-frame-${podSetupId}`).evaluate((f) => {
      return (f as HTMLIFrameElement).contentDocument!.documentElement.scrollHeight;
    });
    expect(after).toBeLessThanOrEqual(height.inner);
  });

  it("shows the pod of a company without an AppRiver account (Blue Yonder), and Contoso's written line", async () => {
    await page.goto(`${t.url}/sandbox/cw?member=jsmith&company=258`);
    const pod = page.frameLocator(`#cw-pod-frame-${podSetupId}`);
    await screenLoaded(pod, 'pod');
    expect(await pod.locator('#pod-no-mapping').textContent()).toBe(
      'No AppRiver account is mapped to this company.',
    );
    await screenshot(page, 'pod-no-mapping');
    await page.goto(`${t.url}/sandbox/cw?member=jsmith&company=250`);
    const contoso = page.frameLocator(`#cw-pod-frame-${podSetupId}`);
    await screenLoaded(contoso, 'pod');
    await contoso.locator('tr[data-status="written"]', { hasText: 'AR-M365-BP' }).waitFor();
    await screenshot(page, 'pod-contoso');
  });

  it('approves all the lines shown, and says how many first', async () => {
    await openApp();
    await goTo('usage');
    await app.locator('#filter-kind').selectOption('increase');
    await app.locator('#filter-kind option[value="increase"][selected]').waitFor({ state: 'attached' });
    await screenLoaded(app, 'usage');
    const all = app.locator('[data-action="approve-shown"]');
    expect(await all.textContent()).toBe('Approve all shown (2)'); // Tailspin BP and Coho BS are left
    const dialog = page.waitForEvent('dialog');
    await all.click();
    expect((await dialog).message()).toBe('Approve all 2 lines shown and write them to ConnectWise?');
    await app.locator('#usage-results', { hasText: 'Approved 2 lines' }).waitFor();
    for (const label of ['Tailspin Toys, Inc. AR-M365-BP', 'Coho Winery & Vineyard AR-M365-BS'])
      await line(app, label).and(app.locator('[data-status="written"]')).waitFor({ timeout: 20000 });
    await app.locator('[data-action="approve-shown"][disabled]').waitFor();
    expect(await app.locator('#tile-written strong').textContent()).toBe('7');
  });

  it('shows the unmapped queue with a way to the Accounts screen', async () => {
    await app.locator('#clear-filters').click();
    await screenLoaded(app, 'usage');
    await app.locator('#tile-unmapped a[data-screen="unmapped"]').click();
    await screenLoaded(app, 'unmapped');
    expect(await app.locator('#unmapped-table tbody tr').count()).toBe(1);
    expect(await app.locator('#unmapped-table').textContent()).toContain('Wingtip Toys');
    await screenshot(page, 'usage-unmapped');
    await expectNoA11yViolations('unmapped');
    await app.locator('#unmapped-table a[data-screen="accounts"]').click();
    await screenLoaded(app, 'accounts');
  });

  it('shows the audit trail, filtered by action', async () => {
    await goTo('audit');
    const actions = await app
      .locator('#audit-table tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action-key')));
    expect(actions).toEqual(expect.arrayContaining(['addition_written', 'usage_approved', 'setup_finished']));
    await screenshot(page, 'audit');
    await app.locator('#audit-action').selectOption('addition_written');
    await app
      .locator('#audit-action option[value="addition_written"][selected]')
      .waitFor({ state: 'attached' });
    await screenLoaded(app, 'audit');
    const written = await app.locator('#audit-table tbody tr').allTextContents();
    expect(written).toHaveLength(7); // Contoso, Fabrikam, Woodgrove ×2, Coho ×2, Tailspin
    expect(written.join('\n')).toContain('9801');
    await screenshot(page, 'audit-filtered');
    await expectNoA11yViolations('audit');
  });

  it('saves the settings with the right JSON types', async () => {
    await goTo('settings');
    await screenshot(page, 'settings');
    await expectNoA11yViolations('settings');
    await app.locator('#scheduleHour').fill('7');
    await app.getByLabel('Weekly (Mondays)').check();
    await app.getByLabel(/Trial subscriptions are billed/).uncheck();
    await app.locator('#settings-save').click();
    await app.locator('#toast', { hasText: 'Settings saved.' }).waitFor();
    await screenLoaded(app, 'settings');
    const saved = (await request(t.url).get('/api/settings').set('Authorization', auth).expect(200)).body;
    expect(saved).toEqual({
      schedule: 'weekly',
      scheduleHour: 7,
      agreementType: null,
      effectiveDate: 'first_of_next_month',
      zeroQuantityPolicy: 'cancel',
      trialsBill: false,
    });
    expect(await app.locator('#scheduleHour').inputValue()).toBe('7');
  });

  it('shows a read-only member the review without change controls', async () => {
    await openApp('viewer');
    await goTo('usage');
    await app.locator('#sync-indicator .sync-text', { hasText: 'Last sync:' }).waitFor();
    expect(await app.locator('#sync-now').count()).toBe(0);
    expect(await app.locator('[data-action="approve"]').count()).toBe(0);
    expect(await app.locator('[data-select]').count()).toBe(0);
    expect(await app.locator('#read-only-note').isVisible()).toBe(true);
    await screenshot(page, 'usage-read-only');
    await expectNoA11yViolations('usage read-only');
  });
  it('shows a failed sync in red with the reason, and keeps the last good lines', async () => {
    await openApp();
    await goTo('usage');
    const shownRun = await app.locator('[data-usage]').getAttribute('data-run-id');
    await request(t.url)
      .post('/sandbox/faults')
      .send({ appriver: { serverErrorEvery: 1 } })
      .expect(200);
    try {
      await app.locator('#sync-now').click();
      const failed = app.locator('#sync-indicator .sync-state[data-state="failed"]');
      await failed.waitFor({ timeout: 60000 });
      expect(await failed.textContent()).toBe('Sync failed');
      expect(await failed.getAttribute('title')).toMatch(/AppRiver could not be read/);
      const alert = app.locator('#usage-sync-failed');
      await alert.waitFor();
      expect(await alert.textContent()).toContain('The last sync failed.');
      expect(await alert.textContent()).toContain('The lines below are from the last sync that completed.');
      expect(await app.locator('[data-usage]').getAttribute('data-run-id')).toBe(shownRun);
      expect(await app.locator('#usage-refresh').getAttribute('class')).not.toContain('btn-pink');
      await screenshot(page, 'usage-sync-failed');
      await expectNoA11yViolations('usage, sync failed');
    } finally {
      await request(t.url).delete('/sandbox/faults').expect(200);
    }
  });
});
