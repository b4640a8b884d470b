import request from 'supertest';
import { WriteBackService } from '../../src/review/write-back.service';
import { startTestApp, TestApp } from '../support/app';
import { cwAdditions, mapDemo, syncDemo } from '../support/demo-month';
import { signIn } from '../support/flows';

// The review screens as the server renders them (views/screens/fragments/{usage,unmapped,pod,audit,settings}.hbs
// from src/screens/review.screens.ts), after the demo month's first sync.

/** The <tr> of each usage line, with its id. */
function lineRows(html: string): { id: number; html: string }[] {
  return [...html.matchAll(/<tr id="(?:pod-)?line-(\d+)"[\s\S]*?<\/tr>/g)].map((m) => ({
    id: Number(m[1]),
    html: m[0],
  }));
}

function rowWith(html: string, ...texts: string[]) {
  const found = lineRows(html).filter((r) => texts.every((t) => r.html.includes(t)));
  if (found.length !== 1)
    throw new Error(`expected one row with ${texts.join(' + ')}, found ${found.length}`);
  return found[0];
}

/** Text without tags and with collapsed spaces. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&gt;/g, '>')
    .replace(/&#x3D;/g, '=')
    .replace(/\s+/g, ' ')
    .trim();
}

describe('review screens after the demo month’s first sync', () => {
  let t: TestApp;
  let auth: string;
  let viewer: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    auth = await syncDemo(t.url);
    viewer = await signIn(t.url, 'viewer');
  });
  afterAll(() => t.close());

  const screen = async (path: string, who = auth) => {
    const res = await request(t.url)
      .get(`/screens/${path}`)
      .set('Authorization', who)
      .set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.type).toBe('text/html');
    return res.text;
  };

  it('shows the summary tiles, the lines to review and the filter bar on Usage', async () => {
    const html = await screen('usage');
    expect(textOf(html.match(/<li class="tile" id="tile-to-review">[\s\S]*?<\/li>/)![0])).toBe(
      'Lines to review 14',
    );
    expect(textOf(html.match(/<li class="tile" id="tile-revenue">[\s\S]*?<\/li>/)![0])).toContain('+$196.50');
    const unmapped = html.match(/<li class="tile" id="tile-unmapped">[\s\S]*?<\/li>/)![0];
    expect(textOf(unmapped)).toContain('Unmapped items 1');
    expect(unmapped).toContain('data-screen="unmapped"');
    expect(textOf(html.match(/<li class="tile" id="tile-written">[\s\S]*?<\/li>/)![0])).toContain(
      'Written this run 0',
    );
    expect(html).toMatch(/data-run-id="\d+"/);

    // Every line to review, none in sync; all on one page.
    expect(lineRows(html)).toHaveLength(14);
    expect(html).not.toContain('kind-in_sync');
    expect(html).toContain('<option value="">All except in sync (14)</option>');
    expect(html).toContain('<option value="in_sync">In sync (9)</option>');

    const litware = rowWith(html, 'Litware Inc', 'AR-M365-BP'); // the ConnectWise name
    expect(litware.html).toContain('kind-new');
    expect(textOf(litware.html)).toContain('6 — +6 New +$132.00 $22.00 each To review');
    expect(litware.html).toContain('data-approvable');
    expect(litware.html).toMatch(/<input type="number" id="qty-\d+"[^>]* value="6" data-default="6"/);

    const secureTide = rowWith(html, 'AR-SECURETIDE');
    expect(textOf(secureTide.html)).toContain('Tailspin Toys');
    expect(textOf(secureTide.html)).toContain('0 10 −10 Cancel −$15.00 $1.50 each');
    expect(secureTide.html).toContain('badge-bad');

    const contoso = rowWith(html, 'Contoso Dental Group', 'AR-M365-BP');
    expect(textOf(contoso.html)).toContain('21 20 +1 Increase');

    // Needs attention with several additions: no approve, the reason says what to do.
    const adventure = rowWith(html, 'Adventure Works Cycles', 'AR-M365-BP');
    expect(adventure.html).not.toContain('data-action="approve"');
    expect(textOf(adventure.html)).toContain('2 active additions');
    expect(adventure.html).toContain('data-action="dismiss"');

    // "Approve all shown" counts the increase/decrease/new/cancel lines on the page.
    expect(html).toContain('Approve all shown (10)');
    expect(html).toContain('data-action="export"');
    expect(html).toContain('id="usage-refresh"');
  });

  it('filters by kind, company and service and sorts on the server', async () => {
    const inSync = await screen('usage?kind=in_sync');
    const rows = lineRows(inSync);
    expect(rows).toHaveLength(9);
    expect(rows.every((r) => r.html.includes('kind-in_sync'))).toBe(true);
    expect(rows.some((r) => r.html.includes('data-action="approve"'))).toBe(false);
    expect(inSync).toContain('<option value="in_sync" selected>');
    expect(inSync).toContain('id="clear-filters"');

    const newOnes = lineRows(await screen('usage?kind=new'));
    expect(newOnes.map((r) => r.html.match(/data-label="([^"]+)"/)![1]).sort()).toEqual([
      'Litware Inc AR-M365-BP',
      'Proseware, Inc. AR-ARCH',
    ]);

    const woodgrove = await screen('usage?company=woodgrove');
    expect(lineRows(woodgrove)).toHaveLength(2);
    expect(woodgrove).toContain('value="woodgrove"');

    expect(lineRows(await screen('usage?service=securetide'))).toHaveLength(1);

    const byRevenue = await screen('usage?sort=revenue');
    expect(textOf(lineRows(byRevenue)[0].html)).toContain('Litware Inc');
    expect(byRevenue).toMatch(
      /aria-sort="descending"><button type="button" class="sort-btn" data-params="sort&#x3D;-revenue">/,
    );

    const nothing = await screen('usage?company=no-such-company');
    expect(lineRows(nothing)).toHaveLength(0);
    expect(nothing).toContain('No lines match these filters.');

    // Unknown values fall back to the defaults instead of failing.
    expect(lineRows(await screen('usage?kind=bogus&status=nope&sort=whatever'))).toHaveLength(14);
  });

  it('lists the unmapped queue with a link to the mapping screen', async () => {
    const html = await screen('unmapped');
    expect(html).toContain('Wingtip Toys');
    expect(html).toContain('Account not mapped');
    expect(html).toMatch(/<a href="#accounts" data-screen="accounts">/);
    expect(textOf(html)).toContain('Wingtip Toys Account not mapped all its services 4');
  });

  it("shows a company's lines in the pod, and says when no account is mapped", async () => {
    const contoso = await screen('pod?company=250');
    const rows = lineRows(contoso);
    expect(rows).toHaveLength(1); // the two in-sync lines are hidden
    expect(textOf(rows[0].html)).toContain('AR-M365-BP 21 20 (+1) Increase');
    expect(rows[0].html).toContain('data-action="approve"');
    expect(contoso).toContain('+ 2 more lines in sync');
    expect(contoso).toContain('Menu &gt; AppRiver Billing');

    const proseware = await screen('pod?company=262');
    expect(proseware).toContain('No AppRiver account is mapped to this company.');
    expect(lineRows(proseware)).toHaveLength(0);

    // Mapped, but AppRiver shares no seats for it: said so, not "no account".
    const northwind = await screen('pod?company=252');
    expect(northwind).not.toContain('No AppRiver account is mapped');
    expect(textOf(northwind)).toContain('Northwind Traders is mapped to this company');

    // Only in-sync lines: they are shown.
    const alpine = await screen('pod?company=257');
    expect(lineRows(alpine)).toHaveLength(2);
    expect(alpine).toContain('All in sync ✓');

    expect(await screen('pod?company=abc')).toContain('Open this pod from a company in ConnectWise.');
  });

  it('shows the audit trail, filterable by action and member', async () => {
    const html = await screen('audit');
    expect(html).toContain('data-action-key="setup_finished"');
    expect(textOf(html)).toContain('Setup finished');
    expect(html).toContain('<option value="setup_finished">Setup finished</option>');

    const finished = await screen('audit?action=setup_finished');
    expect([...finished.matchAll(/data-action-key="([a-z_]+)"/g)].map((m) => m[1])).toEqual([
      'setup_finished',
    ]);
    expect(finished).toContain('<option value="setup_finished" selected>');

    const mine = await screen('audit?actor=viewer');
    expect([...mine.matchAll(/data-action-key="([a-z_]+)"/g)].map((m) => m[1])).toEqual(['sign_in']);
    expect(await screen('audit?actor=nobody')).toContain('No events match these filters.');
  });

  it('shows the settings with their current values and saves them with the right JSON types', async () => {
    const html = await screen('settings');
    expect(html).toContain('data-api="PUT /api/settings"');
    expect(html).toMatch(/<input type="radio" name="schedule" value="daily" checked>/);
    expect(html).toMatch(/id="scheduleHour" name="scheduleHour"[^>]*value="6"/);
    expect(html).toMatch(/id="agreementType" name="agreementType" value=""[^>]*data-keep-empty/);
    expect(html).toMatch(/name="effectiveDate" value="first_of_next_month" checked/);
    expect(html).toMatch(/name="zeroQuantityPolicy" value="cancel" checked/);
    expect(html).toMatch(/name="trialsBill" id="trialsBill" checked/);

    // What app.js's formBody sends from this form.
    await request(t.url)
      .put('/api/settings')
      .set('Authorization', auth)
      .send({
        schedule: 'weekly',
        scheduleHour: 22,
        agreementType: 'Managed Services',
        effectiveDate: 'today',
        zeroQuantityPolicy: 'flag',
        trialsBill: false,
      })
      .expect(200);
    const saved = await screen('settings');
    expect(saved).toMatch(/value="weekly" checked/);
    expect(saved).toMatch(/name="scheduleHour"[^>]*value="22"/);
    expect(saved).toContain('value="Managed Services"');
    expect(saved).toMatch(/value="today" checked/);
    expect(saved).toMatch(/value="flag" checked/);
    expect(saved).not.toMatch(/id="trialsBill" checked/);
    expect(saved).toContain('Weekly, Mondays at 22:00 UTC');

    // An empty agreement type (data-keep-empty sends "") clears the filter; then back to the defaults.
    const back = await request(t.url)
      .put('/api/settings')
      .set('Authorization', auth)
      .send({
        schedule: 'daily',
        scheduleHour: 6,
        agreementType: '',
        effectiveDate: 'first_of_next_month',
        zeroQuantityPolicy: 'cancel',
        trialsBill: true,
      })
      .expect(200);
    expect(back.body.agreementType).toBeNull();
  });

  it('renders no change controls for a read-only member', async () => {
    const usage = await screen('usage', viewer);
    expect(lineRows(usage)).toHaveLength(14);
    expect(usage).not.toContain('data-action="approve');
    expect(usage).not.toContain('data-action="dismiss');
    expect(usage).not.toContain('data-action="note"');
    expect(usage).not.toContain('data-select');
    expect(usage).not.toContain('id="bulk-bar"');
    expect(usage).toContain('id="read-only-note"');
    expect(usage).toContain('data-action="export"'); // looking is fine

    const pod = await screen('pod?company=250', viewer);
    expect(pod).not.toContain('data-action="approve"');
    expect(textOf(pod)).toContain('To review');

    const settings = await screen('settings', viewer);
    expect(settings).not.toContain('<form');
    expect(textOf(settings)).toContain('Sync schedule Daily at 06:00 UTC');
  });

  it('shows approvals and writes on the rows, the tiles and the audit trail', async () => {
    const before = rowWith(await screen('usage'), 'Contoso Dental Group', 'AR-M365-BP');
    const res = await request(t.url)
      .post('/api/usage/approve')
      .set('Authorization', auth)
      .send({ lineIds: [before.id] })
      .expect(200);
    expect(res.body.results).toEqual([{ lineId: before.id, result: 'approved' }]);
    await t.app.get(WriteBackService).kick(1);

    const html = await screen('usage');
    const after = rowWith(html, 'Contoso Dental Group', 'AR-M365-BP');
    expect(after.html).toContain('data-status="written"');
    expect(textOf(after.html)).toContain('Written Qty 21 · jsmith');
    expect(after.html).not.toContain('data-action="approve"');
    expect(html).toContain('<strong>13</strong>'); // lines to review
    expect(textOf(html.match(/<li class="tile" id="tile-written">[\s\S]*?<\/li>/)![0])).toContain(
      'Written this run 1',
    );
    expect((await cwAdditions(t.url)).find((a: { id: number }) => a.id === 9801).quantity).toBe(21);

    const pod = lineRows(await screen('pod?company=250'));
    expect(pod[0].html).toContain('data-status="written"');

    const audit = await screen('audit?action=addition_written');
    expect(textOf(audit)).toContain('Addition written');
    expect(textOf(audit)).toContain('9801');
    expect(textOf(audit)).toMatch(/quantity 20 → 21/);
  });
});

describe('the Usage screen before the first sync', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it('says to finish setup first', async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    const auth = await mapDemo(t.url);
    const html = (
      await request(t.url)
        .get('/screens/usage')
        .set('Authorization', auth)
        .set('Accept', 'text/html')
        .expect(200)
    ).text;
    expect(html).toContain('Finish setup to run the first sync');
    expect(html).toContain('data-screen="finish"');
    expect(html).not.toContain('id="usage-tiles"');
    const pod = (
      await request(t.url)
        .get('/screens/pod?company=250')
        .set('Authorization', auth)
        .set('Accept', 'text/html')
        .expect(200)
    ).text;
    expect(pod).toContain('No AppRiver sync yet');
  });
});
