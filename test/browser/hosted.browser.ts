import type { Browser, BrowserContext, Frame, Page, Route } from 'playwright-core';
import { demoWorld, startTestApp, TestApp } from '../support/app';
import { checkA11y, describeViolations, launchBrowser, screenshot } from './support/browser';

// The hosted bootstrap (public/js/hosted.js) inside the simulated ConnectWise shell (/sandbox/cw). The install
// flow and POST /api/session are someone else's: here the shell's state and our session endpoint are faked with
// page routes, so this suite pins the postMessage protocol on both sides.

const OUTSIDE =
  'This page opens inside ConnectWise PSA: use the AppRiver Billing menu entry, or the AppRiver pod';
const ALL_DONE = 'handshake ✓ · auth ✓ · onLoad acknowledged ✓';
const MENU_STATUS = '[data-testid="frame-status-cw-menu-frame"]';
const POD_ID = 7;
const POD_STATUS = `[data-testid="frame-status-cw-pod-frame-${POD_ID}"]`;

type Json = Record<string, any>;

describe('hosted bootstrap in the simulated ConnectWise shell', () => {
  const world = demoWorld();
  const jsmith = world.connectwise.members.find((m) => m.identifier === 'jsmith')!;
  const contoso = world.connectwise.companies.find((c) => c.id === 250)!;
  let t: TestApp;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let sessions: Json[];
  let state: Json;

  const testPage = (origins: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Hosted test page</title>
<meta name="cw-origins" content="${origins}">
<link rel="stylesheet" href="/public/css/app.css"></head>
<body><main class="page"><h1>Hosted test page</h1><div id="hosted-status"></div></main>
<script>document.addEventListener('hosted:ready', (e) => { window.readyDetail = e.detail; });</script>
<script src="/public/js/hosted.js"></script></body></html>`;

  const fixtureState = (): Json => ({
    hostedSetups: [
      {
        id: POD_ID,
        screenId: 3,
        description: 'AppRiver usage',
        url: `${t.url}/hosted-test-page?id=[cw_id]&screen=[cw_screen]`,
        type: 'Pod',
        origin: t.url,
        podHeight: 300,
        disabledFlag: false,
      },
      {
        id: 8,
        screenId: 3,
        description: 'A tab',
        url: `${t.url}/tab`,
        type: 'Tab',
        origin: t.url,
        podHeight: null,
      },
    ],
    menuEntries: [
      {
        id: 11,
        caption: 'AppRiver Billing',
        link: `${t.url}/hosted-test-page`,
        origin: t.url,
        newWindowFlag: false,
      },
    ],
    agreements: [
      {
        id: 1,
        name: 'Managed Services',
        company: { id: contoso.id, identifier: contoso.identifier, name: contoso.name },
        agreementStatus: 'Active',
        additions: [
          {
            id: 1,
            product: { id: 1, identifier: 'AR-EXCH-PLUS' },
            quantity: 12,
            effectiveDate: '2025-07-01T00:00:00Z',
          },
        ],
      },
    ],
  });

  const json = (route: Route, status: number, body: unknown) =>
    route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });

  async function fakeBackend(ctx: BrowserContext) {
    const path = (p: string) => (url: URL) => url.pathname === p;
    await ctx.route(path('/sandbox/cw/state'), (route) => json(route, 200, state));
    await ctx.route(path('/hosted-test-page'), (route) => {
      const url = new URL(route.request().url());
      const origins = url.searchParams.get('origins') ?? t.url;
      return route.fulfill({ status: 200, contentType: 'text/html', body: testPage(origins) });
    });
    // A page that frames ours but does not speak ConnectWise's protocol.
    await ctx.route(path('/plain-parent'), (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: `<!doctype html><title>Not ConnectWise</title><iframe id="f" title="AppRiver" src="/hosted-test-page"></iframe>`,
      }),
    );
    await ctx.route(path('/api/session'), (route) => {
      const body = route.request().postDataJSON() as Json;
      sessions.push(body);
      if (body.memberid === 'viewer')
        return json(route, 403, {
          error: 'NO_ACCESS',
          message: 'Your ConnectWise member may not use AppRiver Billing.',
        });
      const token = sessions.length === 1 ? 't' : `t-${sessions.length}`;
      return json(route, 200, {
        token,
        member: { memberId: body.memberid, companyId: body.companyid, canEdit: true },
      });
    });
    await ctx.route(path('/api/echo'), (route) => {
      const req = route.request();
      return json(route, 200, {
        authorization: req.headers()['authorization'],
        contentType: req.headers()['content-type'] ?? null,
        body: req.postData(),
      });
    });
    await ctx.route(path('/api/expiring'), (route) => {
      const authorization = route.request().headers()['authorization'];
      if (authorization === 'Bearer t')
        return json(route, 401, { error: 'TOKEN_EXPIRED', message: 'Expired.' });
      return json(route, 200, { authorization });
    });
    await ctx.route(path('/api/conflict'), (route) =>
      json(route, 409, {
        error: 'STALE',
        message: 'ConnectWise changed since the sync.',
        details: { lineId: 4 },
      }),
    );
  }

  async function waitForText(target: Page | Frame, selector: string, text: string, timeout = 15000) {
    await target.waitForFunction(
      ([sel, expected]) => document.querySelector(sel)?.textContent?.includes(expected) ?? false,
      [selector, text] as const,
      { timeout },
    );
  }

  async function frameOf(selector: string): Promise<Frame> {
    const handle = await page.waitForSelector(selector);
    const frame = await handle.contentFrame();
    if (!frame) throw new Error(`${selector} has no frame`);
    await frame.waitForFunction(() => 'Hosted' in window);
    return frame;
  }

  const shellLog = () =>
    page.evaluate(() => (window as any).CwShell.log.map((e: any) => ({ ...e, message: e.message })));

  async function expectNoA11yViolations(name: string) {
    const violations = await checkA11y(page);
    if (violations.length)
      throw new Error(`${name}: accessibility violations\n${describeViolations(violations)}`);
  }

  async function openMenuEntry(member = 'jsmith'): Promise<Frame> {
    await page.goto(`${t.url}/sandbox/cw?member=${member}`);
    await page.click('a#cw-nav-menu-11');
    return frameOf('#cw-menu-frame');
  }

  beforeAll(async () => {
    t = await startTestApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  beforeEach(async () => {
    sessions = [];
    state = fixtureState();
    context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    await fakeBackend(context);
    page = await context.newPage();
  });
  afterEach(() => context.close());

  it('signs a member in from the picker and remembers the choice in the URL', async () => {
    await page.goto(`${t.url}/sandbox/cw`);
    const options = await page.$$eval('#cw-member option', (os) =>
      os.map((o) => (o as HTMLOptionElement).value),
    );
    expect(options).toEqual(world.connectwise.members.map((m) => m.identifier));
    await expectNoA11yViolations('member picker');
    await screenshot(page, 'cw-member-picker');

    await page.selectOption('#cw-member', 'jsmith');
    await Promise.all([page.waitForURL(/\?member=jsmith$/), page.click('#cw-sign-in')]);
    await page.waitForSelector('a#cw-nav-menu-11');
    expect(await page.textContent('a#cw-nav-menu-11')).toBe('AppRiver Billing');
    expect(await page.textContent('header')).toContain('Signed in as jsmith');
    await expectNoA11yViolations('shell home');
  });

  it('says how to install the plugin when there are no menu entries', async () => {
    state = { hostedSetups: [], menuEntries: [], agreements: [] };
    await page.goto(`${t.url}/sandbox/cw?member=jsmith`);
    await waitForText(
      page,
      '#cw-main',
      'The AppRiver plugin is not installed yet: install it at /install, then reload.',
    );
    expect(await page.getAttribute('#cw-main a[href="/install"]', 'href')).toBe('/install');
  });

  it('frames the menu entry, completes the handshake and signs in with the member payload', async () => {
    const frame = await openMenuEntry();
    expect(await page.getAttribute('#cw-menu-frame', 'title')).toBe('AppRiver Billing');
    expect(await page.getAttribute('#cw-menu-frame', 'src')).toBe(`${t.url}/hosted-test-page`);
    await waitForText(page, MENU_STATUS, ALL_DONE);

    const ready = await frame.evaluate(() => (window as any).Hosted.ready);
    expect(ready).toEqual({
      token: 't',
      member: { memberId: 'jsmith', companyId: 'acme', canEdit: true },
      screen: { screen: 'menu', id: null, hostedAs: 'menu' },
    });
    expect(await frame.evaluate(() => (window as any).readyDetail)).toEqual(ready);
    expect(await frame.isHidden('#hosted-status')).toBe(true);

    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toEqual({
      site: world.connectwise.site,
      companyid: world.connectwise.companyId,
      memberid: 'jsmith',
      memberHash: jsmith.memberHash,
      memberContext: 'web',
      memberEmail: jsmith.email,
      codeBase: world.connectwise.codebase,
      screen: { screen: 'menu', id: null, hostedAs: 'menu' },
    });
    expect(sessions[0]).not.toHaveProperty('companyId');
    expect(sessions[0]).not.toHaveProperty('memberId');

    // The protocol as the shell saw it: JSON strings, frameID on every post after "ready", the onLoad acked.
    const log = await shellLog();
    const frameId = await page.getAttribute(MENU_STATUS, 'data-frame-id');
    const incoming = log.filter((e: Json) => e.direction === 'in').map((e: Json) => e.message);
    expect(incoming[0]).toEqual({ message: 'ready' });
    expect(incoming[1]).toEqual({ hosted_request: 'getMemberAuthentication', frameID: frameId });
    const onLoad = log.find((e: Json) => e.direction === 'out' && e.message.event === 'onLoad').message;
    expect(incoming[2]).toEqual({ event: 'onLoad', _id: onLoad._id, result: 'success', frameID: frameId });
    expect(await frame.evaluate(() => (window as any).Hosted.frameId)).toBe(frameId);

    await expectNoA11yViolations('menu entry');
    await screenshot(page, 'cw-menu-frame');
  });

  it('calls our API with the bearer token, JSON in and out, and the JSON error shape', async () => {
    const frame = await openMenuEntry();
    const echo = await frame.evaluate(() =>
      (window as any).Hosted.api('/api/echo', { method: 'POST', body: { a: 1 } }),
    );
    expect(echo).toEqual({ authorization: 'Bearer t', contentType: 'application/json', body: '{"a":1}' });

    const failure = await frame.evaluate(() =>
      (window as any).Hosted.api('/api/conflict').then(
        () => null,
        (e: any) => ({
          isError: e instanceof Error,
          status: e.status,
          error: e.error,
          message: e.message,
          details: e.details,
        }),
      ),
    );
    expect(failure).toEqual({
      isError: true,
      status: 409,
      error: 'STALE',
      message: 'ConnectWise changed since the sync.',
      details: { lineId: 4 },
    });
  });

  it('re-runs getMemberAuthentication once when the token expired and retries', async () => {
    const frame = await openMenuEntry();
    await frame.evaluate(() => (window as any).Hosted.ready);
    const retried = await frame.evaluate(() => (window as any).Hosted.api('/api/expiring'));
    expect(retried).toEqual({ authorization: 'Bearer t-2' });
    expect(sessions).toHaveLength(2);
    expect(sessions[1]).toMatchObject({ memberid: 'jsmith', memberHash: jsmith.memberHash });
    const requests = (await shellLog()).filter(
      (e: Json) => e.direction === 'in' && e.message.hosted_request === 'getMemberAuthentication',
    );
    expect(requests).toHaveLength(2);
    expect(await frame.evaluate(() => (window as any).Hosted.token)).toBe('t-2');
  });

  it('shows the company screen with the pod, then handles refreshScreen, setDirty and openScreen', async () => {
    await page.goto(`${t.url}/sandbox/cw?member=jsmith`);
    await page.click('a#cw-nav-companies');
    await page.waitForSelector('table.cw-companies');
    const identifiers = await page.$$eval('table.cw-companies tbody tr td:first-child', (tds) =>
      tds.map((td) => td.textContent),
    );
    expect(identifiers).toEqual(
      world.connectwise.companies.filter((c) => !c.deletedFlag).map((c) => c.identifier),
    );
    await expectNoA11yViolations('companies');
    await page.click(`text=${contoso.identifier}`);
    await waitForText(page, '#cw-main h1', contoso.name);
    expect(page.url()).toContain(`company=${contoso.id}`);

    const src = await page.getAttribute(`#cw-pod-frame-${POD_ID}`, 'src');
    expect(src).toBe(`${t.url}/hosted-test-page?id=${contoso.id}&screen=company`);
    expect(await page.$eval(`#cw-pod-frame-${POD_ID}`, (f) => (f as HTMLIFrameElement).offsetHeight)).toBe(
      300,
    );
    expect(await page.$('#cw-pod-frame-8')).toBeNull(); // a Tab, not a pod
    const frame = await frameOf(`#cw-pod-frame-${POD_ID}`);
    await waitForText(page, POD_STATUS, ALL_DONE);
    const ready = await frame.evaluate(() => (window as any).Hosted.ready);
    expect(ready.screen).toEqual({ screen: 'company', id: contoso.id, hostedAs: 'pod' });
    expect(sessions[0].screen).toEqual({ screen: 'company', id: contoso.id, hostedAs: 'pod' });
    await expectNoA11yViolations('company screen');
    await screenshot(page, 'cw-company-pod');

    // refreshScreen reloads the pod, which signs in again.
    await frame.evaluate(() => ((window as any).beforeRefresh = true));
    await frame.evaluate(() => (window as any).Hosted.refreshScreen());
    await page.waitForFunction(() =>
      [...(window as any).CwShell.frames.values()].some((r: any) => r.readyCount === 2 && r.onLoadAck),
    );
    await waitForText(page, POD_STATUS, ALL_DONE);
    await frame.waitForFunction(() => 'Hosted' in window);
    expect(await frame.evaluate(() => (window as any).beforeRefresh)).toBeUndefined();

    await frame.evaluate(() => (window as any).Hosted.ready);
    await frame.evaluate(() => (window as any).Hosted.setDirty(true));
    await waitForText(page, POD_STATUS, 'unsaved changes');

    const fabrikam = world.connectwise.companies.find((c) => c.id === 251)!;
    await frame.evaluate((id) => (window as any).Hosted.openScreen('company', id), fabrikam.id);
    await waitForText(page, '#cw-main h1', fabrikam.name);
    expect(page.url()).toContain(`company=${fabrikam.id}`);
  });

  it('ignores messages from origins that are not allowed', async () => {
    const frame = await openMenuEntry();
    await frame.evaluate(() => (window as any).Hosted.ready);
    const frameId = await frame.evaluate(() => (window as any).Hosted.frameId);
    await frame.evaluate((allowed) => {
      const fake = (data: unknown, origin: string) =>
        window.dispatchEvent(
          new MessageEvent('message', { data: JSON.stringify(data), origin, source: window.parent }),
        );
      fake({ MessageFrameID: 'evil' }, 'https://evil.example');
      fake({ event: 'beforeSave', _id: 'evil-1', data: {} }, 'https://evil.example');
      fake({ event: 'beforeSave', _id: 'good-1', data: {} }, allowed); // the control: an allowed origin is acked
    }, t.url);
    await page.waitForFunction(() =>
      (window as any).CwShell.log.some((e: any) => e.direction === 'in' && e.message._id === 'good-1'),
    );
    const acked = (await shellLog()).filter(
      (e: Json) => e.direction === 'in' && e.message.event === 'beforeSave',
    );
    expect(acked.map((e: Json) => e.message._id)).toEqual(['good-1']);
    expect(await frame.evaluate(() => (window as any).Hosted.frameId)).toBe(frameId);
  });

  it('does not talk to a parent whose origin is not in cw-origins', async () => {
    state.menuEntries[0].link = `${t.url}/hosted-test-page?origins=https://na.myconnectwise.net`;
    const frame = await openMenuEntry();
    await waitForText(frame, '#hosted-status', OUTSIDE, 10000);
    expect(await frame.evaluate(() => (window as any).Hosted.frameId)).toBeNull();
    expect(await page.getAttribute(MENU_STATUS, 'data-auth')).toBe('false');
    expect(sessions).toHaveLength(0);
  });

  it('explains itself when opened outside ConnectWise', async () => {
    await page.goto(`${t.url}/hosted-test-page`);
    await waitForText(page, '#hosted-status', OUTSIDE, 2000);
    const rejected = await page.evaluate(() =>
      (window as any).Hosted.ready.then(
        () => null,
        (e: any) => e.error,
      ),
    );
    expect(rejected).toBe('NOT_IN_CONNECTWISE');
    await screenshot(page, 'hosted-outside-connectwise');

    // Framed by a page that never answers: the same message after the ~4 s handshake timeout.
    await page.goto(`${t.url}/plain-parent`);
    const frame = await frameOf('#f');
    await waitForText(frame, '#hosted-status', 'Signing you in', 2000);
    await waitForText(frame, '#hosted-status', OUTSIDE, 8000);
    expect(sessions).toHaveLength(0);
  });

  it("shows the server's message when the session is refused", async () => {
    const frame = await openMenuEntry('viewer');
    await waitForText(page, MENU_STATUS, ALL_DONE);
    await waitForText(frame, '#hosted-status', 'Your ConnectWise member may not use AppRiver Billing.');
    const rejected = await frame.evaluate(() =>
      (window as any).Hosted.ready.then(
        () => null,
        (e: any) => ({ status: e.status, error: e.error }),
      ),
    );
    expect(rejected).toEqual({ status: 403, error: 'NO_ACCESS' });
    const viewer = world.connectwise.members.find((m) => m.identifier === 'viewer')!;
    expect(sessions[0]).toMatchObject({ memberid: 'viewer', memberHash: viewer.memberHash });
  });
});
