import request from 'supertest';
import type { World } from '../../src/sandbox/world';
import { demoWorld, startTestApp, TestApp } from '../support/app';
import { connectDemo, signIn } from '../support/flows';

// The Accounts, Services and Finish fragments for the demo world, after AppRiver is connected and imported
// (auto-match has run: exact names and external numbers are mapped, close names are suggestions).

/** Handlebars escapes `=`, `'` and `&` in text and attributes; the assertions read the decoded HTML. */
const decode = (html: string) =>
  html
    .replace(/&#x3D;/g, '=')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

/** The <tr> of one row, found by its name. */
function rowOf(html: string, name: string): string {
  const rows = html.match(/<tr data-row[\s\S]*?<\/tr>/g) ?? [];
  const row = rows.find((r) => r.includes(`data-name="${name}"`));
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

const connect = connectDemo;

describe('mapping screens (Accounts, Services, Finish)', () => {
  let t: TestApp;
  let auth: string;
  let viewer: string;
  const api = () => request(t.url);
  const screen = async (path: string, who = auth) =>
    decode((await api().get(`/screens/${path}`).set('Authorization', who).expect(200)).text);

  beforeAll(async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    auth = await connect(t.url);
    viewer = await signIn(t.url, 'viewer');
  });
  afterAll(() => t?.close());

  it('shows how auto-matched accounts were matched, with their agreement or its problem', async () => {
    const html = await screen('accounts');
    expect(html).toContain('<h1>Map accounts</h1>');
    expect(html).toContain('ConnectWise companies');
    expect(html).toContain('AppRiver accounts');

    const contoso = rowOf(html, 'Contoso Dental Group');
    expect(contoso).toContain('>Mapped<');
    expect(contoso).toContain('External account number');
    expect(contoso).toContain('automatic');
    expect(contoso).toContain('Contoso - Managed Services');
    expect(contoso).toContain('ext. ContosoDental');
    expect(contoso).toContain('#500123');

    const woodgrove = rowOf(html, 'WOODGROVE BANK');
    expect(woodgrove).toContain('Exact name');
    expect(woodgrove).toContain('Woodgrove Bank');

    // Two active agreements: a select whose options the browser loads; none: a red flag.
    const adventure = rowOf(html, 'Adventure Works Cycles');
    expect(adventure).toMatch(
      /<select id="agreement-\d+" class="agreement-select" data-agreement data-company-id="254"/,
    );
    expect(adventure).toContain('<label class="inline-label" for="agreement-');
    expect(rowOf(html, 'Graphic Design Institute')).toContain('No active agreement');

    // Not billable: the problem text, and nothing to match.
    const northwind = rowOf(html, 'Northwind Traders');
    expect(northwind).toContain('Not billable');
    expect(northwind).toContain('Referred customer');
    expect(northwind).not.toContain('data-drop');
    expect(northwind).not.toContain('No active agreement');

    for (const name of ['Tailspin Toys', 'Wingtip Toys', 'Proseware Inc']) {
      const row = rowOf(html, name);
      expect(row).toContain('>Unmapped<');
      expect(row).toContain('data-drop');
      expect(row).toContain('data-action="match" disabled');
      expect(row).toContain('data-action="exclude"');
    }
    expect(contoso).toContain('data-action="unmap"');
    expect(html).toContain('id="run-auto-match"');
    expect(html).toContain('role="listbox"');
    expect(html).not.toContain('Read-only');
  });

  it('lists suggestions with score, reason and Confirm, and counts every filter', async () => {
    const html = await screen('accounts?filter=suggested');
    expect(html).toMatch(
      /data-params="filter=suggested" data-filter-key="suggested" aria-pressed="true">Suggested <span class="count">4<\/span>/,
    );
    for (const [key, n] of Object.entries({
      all: 14,
      unmapped: 5,
      mapped: 8,
      excluded: 0,
      not_billable: 2,
    })) {
      expect(html).toMatch(
        new RegExp(`data-filter-key="${key}" aria-pressed="false">[^<]+<span class="count">${n}</span>`),
      );
    }
    const rows = html.match(/<tr data-row/g) ?? [];
    expect(rows).toHaveLength(4);

    const tailspin = rowOf(html, 'Tailspin Toys');
    expect(tailspin).toContain('Tailspin Toys, Inc.');
    expect(tailspin).toContain('95%');
    expect(tailspin).toContain('Same name apart from punctuation or legal suffix');
    expect(tailspin).toContain(
      'data-action="confirm" data-target-id="253" data-target-label="Tailspin Toys, Inc."',
    );
    expect(tailspin).toContain(
      'Confirm<span class="visually-hidden"> Tailspin Toys, Inc. for Tailspin Toys</span>',
    );
    expect(rowOf(html, 'Coho Winery and Vineyard')).toContain("Same name with '&' for 'and'");

    // The queue: 5 billable accounts unmapped, 4 of them with suggestions.
    expect(html).toMatch(
      /<strong>5<\/strong> billable accounts unmapped\s*<span class="muted">\(4 with suggestions\)<\/span>/,
    );
  });

  it('searches and pages on the server, keeping the queue for all accounts', async () => {
    const html = await screen('accounts?filter=all&search=toys');
    expect((html.match(/<tr data-row/g) ?? []).length).toBe(2);
    expect(html).toContain('value="toys"');
    expect(html).toContain('data-params="filter=unmapped&search=toys"');
    expect(html).toMatch(/<strong>5<\/strong> billable accounts unmapped/);

    const none = await screen('accounts?search=zzz');
    expect(none).toContain('No accounts match “zzz”.');

    // 14 accounts fit on one page: no pager; a page past the end says so and links back.
    expect(await screen('accounts')).not.toContain('aria-label="Account pages"');
    const past = await screen('accounts?filter=mapped&page=5');
    expect(past).toContain('Nothing on page 5: there are 8 accounts in this list.');
    expect(past).toContain('data-params="filter=mapped">First page</button>');
    expect(await screen('accounts?filter=excluded')).toContain('No excluded accounts.');
  });

  it('shows read-only members the mapping without anything that changes it', async () => {
    const html = await screen('accounts', viewer);
    expect(html).toContain('Read-only: you can look but not change');
    expect(html).not.toMatch(/>Match</);
    expect(html).not.toMatch(/>Confirm</);
    expect(html).not.toContain('data-action=');
    expect(html).not.toContain('data-drop');
    expect(html).not.toContain('role="listbox"');
    expect(html).not.toContain('Run auto-match');
    expect(html).not.toContain('<select');
    expect(rowOf(html, 'Adventure Works Cycles')).toContain('Agreement not chosen');
    expect(rowOf(html, 'Tailspin Toys')).toContain('Tailspin Toys, Inc.');

    const services = await screen('services', viewer);
    expect(services).toContain('Read-only: you can look but not change');
    expect(services).not.toMatch(/>(Match|Confirm|Unmap)</);
    expect(services).not.toContain('data-drop');

    const finish = await screen('finish', viewer);
    expect(finish).not.toContain('id="finish-setup"');
    expect(finish).toContain('Read-only');
  });

  it('lists the services with term, accounts and suggested Product IDs', async () => {
    const html = await screen('services');
    expect(html).toContain('<h1>Map services</h1>');
    expect(html).toContain('ConnectWise products');
    expect(html).toContain('Search by Product ID or description');
    const bp = rowOf(html, 'Microsoft 365 Business Premium');
    expect(bp).toContain('Annual term · billed Monthly');
    expect(bp).toMatch(/<td class="num col-accounts">5<span class="visually-hidden"> accounts<\/span><\/td>/);
    expect(bp).toContain('<code>AR-M365-BP</code> Microsoft 365 Business Premium');
    expect(bp).toContain('data-target-id="512" data-target-label="AR-M365-BP"');
    expect(bp).toContain('Same description');
    expect(bp).toContain('95%');
    // 74 % and 70 % are far below the 95 % one: behind a disclosure, still one click to confirm.
    expect(bp).toMatch(
      /<details class="more-suggestions">\s*<summary class="small">2 weaker suggestions<\/summary>/,
    );
    expect(bp).toContain('data-target-id="521" data-target-label="MS-M365-BP-NCE"');
    expect(html).toContain('id="next-finish"');
    expect(html).toMatch(/<strong>11<\/strong> services in use but unmapped/);
    expect(html).toMatch(
      /data-filter-key="unmapped" aria-pressed="false">Unmapped <span class="count">11<\/span>/,
    );
  });

  it('shows the blockers on Finish until a service is mapped, then the review', async () => {
    let html = await screen('finish');
    expect(html).toContain('Finish starts the first sync');
    expect(html).toContain('id="finish-blockers"');
    expect(html).toContain('Map at least one AppRiver service to a ConnectWise product.');
    expect(html).toMatch(/id="finish-setup" data-action="finish" disabled aria-describedby="finish-blocked"/);
    expect(html).toContain('Not yet: Map at least one AppRiver service to a ConnectWise product.');
    expect(html).toContain('No service is mapped yet.');
    expect(html).toMatch(/<tr class="row-flag"><th scope="row">Adventure Works Cycles/);
    expect(html).toMatch(/<tr><th scope="row">Northwind Traders.*?<span class="badge">Not billable<\/span>/s);
    expect(html).toContain('Adventure Works Cycles: no agreement chosen');

    const services = (await api().get('/api/services').set('Authorization', auth).expect(200)).body.items;
    const bp = services.find((s: { serviceKey: string }) =>
      s.serviceKey.startsWith('Microsoft 365 Business Premium|Annual'),
    );
    await api()
      .put(`/api/services/${bp.id}/mapping`)
      .set('Authorization', auth)
      .send({ psaProductId: 512 })
      .expect(200);

    html = await screen('finish');
    expect(html).not.toContain('id="finish-blockers"');
    expect(html).toMatch(/id="finish-setup" data-action="finish">Finish and start the first sync/);
    expect(html).toMatch(
      /Microsoft 365 Business Premium \(Annual term, billed Monthly\)<\/th><td><code>AR-M365-BP<\/code>/,
    );
    expect(html).toContain('id="finish-warnings"');

    const mapped = rowOf(await screen('services?filter=mapped'), 'Microsoft 365 Business Premium');
    expect(mapped).toContain('<code class="product-id">AR-M365-BP</code> Microsoft 365 Business Premium');
    expect(mapped).toContain('jsmith');
    expect(mapped).toContain('data-action="unmap"');
  });

  it('shows a manual mapping, an exclusion and a confirmed suggestion the way they were made', async () => {
    const accounts = (await api().get('/api/accounts?search=Wingtip').set('Authorization', auth).expect(200))
      .body.items;
    await api()
      .put(`/api/accounts/${accounts[0].id}/mapping`)
      .set('Authorization', auth)
      .send({ psaCompanyId: 261, method: 'manual' })
      .expect(200);
    const litware = (await api().get('/api/accounts?search=Litware').set('Authorization', auth).expect(200))
      .body.items[0];
    await api()
      .put(`/api/accounts/${litware.id}/mapping`)
      .set('Authorization', auth)
      .send({ psaCompanyId: 256, method: 'suggestion' })
      .expect(200);
    const coho = (await api().get('/api/accounts?search=Coho').set('Authorization', auth).expect(200)).body
      .items[0];
    await api()
      .post(`/api/accounts/${coho.id}/exclude`)
      .set('Authorization', auth)
      .send({ excluded: true })
      .expect(200);

    const html = await screen('accounts');
    const wingtip = rowOf(html, 'Wingtip Toys');
    expect(wingtip).toContain('Wide World Importers');
    expect(wingtip).toMatch(/Manual · jsmith · \d{4}-\d{2}-\d{2}/);
    expect(rowOf(html, 'Litware, Inc.')).toContain('Suggestion confirmed');
    expect(rowOf(html, 'Litware, Inc.')).toContain('Litware - Managed Services 2026');
    const excluded = rowOf(html, 'Coho Winery and Vineyard');
    expect(excluded).toContain('>Excluded<');
    expect(excluded).toContain('data-action="include"');
    expect(excluded).not.toContain('data-drop');
    expect(html).toMatch(/<strong>2<\/strong> billable accounts unmapped/);
    expect(await screen('accounts?filter=excluded')).toMatch(
      /aria-pressed="true">Excluded <span class="count">1<\/span>/,
    );
  });
});

describe('the Accounts screen with more accounts than fit on a page', () => {
  let t: TestApp;
  let auth: string;

  beforeAll(async () => {
    const world: World = demoWorld();
    for (let i = 1; i <= 60; i++) {
      const n = String(i).padStart(2, '0');
      world.appriver.customers.push({
        CustomerId: `00000000-0000-4000-8000-0000000000${n}`,
        CustomerNumber: `7000${n}`,
        Name: `Zephyr Client ${n}`,
        CustomerType: 'Resold',
        IsClosed: false,
        subscriptions: [],
      } as (typeof world.appriver.customers)[number]);
    }
    t = await startTestApp({ world });
    auth = await connect(t.url);
  });
  afterAll(() => t?.close());

  it('pages 50 at a time, keeping filter and search in the pager', async () => {
    const page1 = decode(
      (await request(t.url).get('/screens/accounts').set('Authorization', auth).expect(200)).text,
    );
    expect(page1.match(/<tr data-row/g)).toHaveLength(50);
    expect(page1).toContain('aria-label="Account pages"');
    expect(page1).toContain('1–50 of 74');
    expect(page1).toContain('data-params="filter=all&page=2"');
    expect(page1).toMatch(/<button type="button" class="btn btn-small" disabled>Previous<\/button>/);

    const page2 = decode(
      (await request(t.url).get('/screens/accounts?filter=all&page=2').set('Authorization', auth).expect(200))
        .text,
    );
    expect(page2.match(/<tr data-row/g)).toHaveLength(24);
    expect(page2).toContain('51–74 of 74');
    expect(page2).toContain('data-params="filter=all&page=1"');
    expect(page2).toContain('Zephyr Client 60');

    const searched = decode(
      (
        await request(t.url)
          .get('/screens/accounts?filter=unmapped&search=zephyr&page=2')
          .set('Authorization', auth)
          .expect(200)
      ).text,
    );
    expect(searched).toContain('51–60 of 60');
    expect(searched).toContain('data-params="filter=unmapped&search=zephyr&page=1"');
    expect(searched).toMatch(/<strong>65<\/strong> billable accounts unmapped/);
  });
});
