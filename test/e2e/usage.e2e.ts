import request from 'supertest';
import { WriteBackService } from '../../src/review/write-back.service';
import { startTestApp, TestApp } from '../support/app';
import { cwAdditions, editInConnectWise, mapDemo, syncDemo } from '../support/demo-month';
import { signIn, waitForSync } from '../support/flows';

type Line = {
  id: number;
  accountName: string;
  productIdentifier: string;
  vendorQty: number | null;
  psaQty: number | null;
  kind: string;
  reason: string | null;
  reviewStatus: string;
  additionId: number | null;
};

describe('the demo month: sync, review, approve, write back', () => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    auth = await syncDemo(t.url);
  });
  afterAll(() => t.close());

  const get = (path: string) => request(t.url).get(path).set('Authorization', auth).expect(200);
  const lines = async (query = 'kind=&pageSize=500'): Promise<Line[]> => {
    const all = (await get(`/api/usage?${query}`)).body.items as Line[];
    const inSync = (await get('/api/usage?kind=in_sync&pageSize=500')).body.items as Line[];
    return query.includes('kind=in_sync') ? inSync : [...all, ...inSync];
  };
  const stats = async () =>
    (await request(t.url).get('/sandbox/stats')).body.endpoints as Record<string, number>;
  const writes = async () => {
    const s = await stats();
    return {
      patch: s['connectwise PATCH /finance/agreements/{id}/additions/{id}'] ?? 0,
      post: s['connectwise POST /finance/agreements/{id}/additions'] ?? 0,
    };
  };
  const drain = () => t.app.get(WriteBackService).kick(1);
  const summarize = (ls: Line[]) =>
    ls
      .map(
        (l) =>
          `${l.accountName} | ${l.productIdentifier} | ${l.vendorQty ?? '-'} vs ${l.psaQty ?? '-'} | ${l.kind}${l.reason ? `:${l.reason}` : ''}`,
      )
      .sort();

  it('reconciles every demo case into the right line', async () => {
    expect(summarize(await lines())).toEqual(
      [
        'Adventure Works Cycles | AR-C2CB | 0 vs - | needs_attention:inconclusive_status',
        'Adventure Works Cycles | AR-COPILOT | 2 vs 2 | in_sync',
        'Adventure Works Cycles | AR-M365-BP | 47 vs 45 | needs_attention:multiple_additions',
        'Alpine Ski House | AR-M365-BP | 15 vs 15 | in_sync',
        'Alpine Ski House | AR-TEAMS-DCP | 3 vs 3 | in_sync',
        'Coho Winery and Vineyard | AR-ETP | 13 vs 11 | increase',
        'Coho Winery and Vineyard | AR-M365-BS | 13 vs 11 | increase',
        'Contoso Dental Group | AR-ARCH | 25 vs 25 | in_sync',
        'Contoso Dental Group | AR-ETP | 25 vs 25 | in_sync',
        'Contoso Dental Group | AR-M365-BP | 21 vs 20 | increase',
        'Fabrikam Legal LLP | AR-EXO-P1 | 27 vs 30 | decrease',
        'Fabrikam Legal LLP | AR-M365-BS | 8 vs 8 | in_sync',
        'Fourth Coffee | AR-C2CB | 0 vs - | needs_attention:inconclusive_status',
        'Fourth Coffee | AR-EXO-P1 | 14 vs 14 | in_sync',
        'Graphic Design Institute | AR-M365-BS | 7 vs - | needs_attention:no_agreement',
        'Litware, Inc. | AR-M365-BP | 6 vs - | new',
        'Proseware Inc | AR-ARCH | 9 vs - | new',
        'Proseware Inc | AR-M365-BP | 9 vs 9 | in_sync',
        'Tailspin Toys | AR-M365-BP | 12 vs 10 | increase',
        'Tailspin Toys | AR-SAT | 12 vs 12 | in_sync',
        'Tailspin Toys | AR-SECURETIDE | 0 vs 10 | cancel',
        'WOODGROVE BANK | AR-ETP | 96 vs 100 | decrease',
        'WOODGROVE BANK | AR-EXO-P1 | 96 vs 100 | decrease',
      ].sort(),
    );
    const all = await lines();
    expect(all.some((l) => l.accountName === 'Northwind Traders')).toBe(false);
    expect(all.some((l) => l.productIdentifier === 'MSP-MANAGED-WS')).toBe(false); // not AppRiver's: never touched
    const queue = (await get('/api/usage/unmapped')).body.items;
    expect(queue).toEqual([
      expect.objectContaining({ kind: 'account', account: 'Wingtip Toys', quantity: 4 }),
    ]);
    const northwind = (await get('/api/accounts?search=northwind')).body.items[0];
    expect(northwind.problem).toContain('Referred');
  });

  it('summarises, filters, sorts and pages on the server', async () => {
    const res = (await get('/api/usage?pageSize=10')).body;
    expect(res.summary).toMatchObject({
      toReview: 14,
      unmapped: 1,
      kinds: { increase: 4, decrease: 3, new: 2, cancel: 1, needs_attention: 4, in_sync: 9 },
    });
    // Contoso +1×22, Tailspin +2×22, Coho +2×12.5 +2×3, Fabrikam −3×4, Woodgrove −4×4 −4×3, Litware +6×22,
    // Proseware +9×2.5, SecureTide −10×1.5
    expect(res.summary.revenueChange).toBeCloseTo(196.5, 2);
    expect(res.total).toBe(14);
    expect(res.items).toHaveLength(10);
    const byRevenue = (await get('/api/usage?sort=revenue')).body.items;
    expect(byRevenue[0]).toMatchObject({ accountName: 'Litware, Inc.', revenueChange: 132 });
    const woodgrove = (await get('/api/usage?company=woodgrove')).body.items;
    expect(woodgrove).toHaveLength(2);
    expect(
      (await get('/api/usage?kind=new')).body.items.map((l: Line) => l.productIdentifier).sort(),
    ).toEqual(['AR-ARCH', 'AR-M365-BP']);
    expect((await get('/api/usage?service=securetide')).body.items).toHaveLength(1);
    const csv = await request(t.url)
      .get('/api/usage.csv')
      .set('Authorization', auth)
      .expect(200)
      .expect('Content-Type', /text\/csv/);
    expect(csv.text.split('\r\n')[0]).toContain('Product ID');
    expect(csv.text).toContain('Litware, Inc.');
  });

  it('keeps read-only members from approving', async () => {
    const viewer = await signIn(t.url, 'viewer');
    const any = (await lines()).find((l) => l.kind === 'increase')!;
    const res = await request(t.url)
      .post('/api/usage/approve')
      .set('Authorization', viewer)
      .send({ lineIds: [any.id] })
      .expect(403);
    expect(res.body.error).toBe('READ_ONLY');
  });

  it('approve-all writes exactly the 10 changes, once, and leaves the rest of ConnectWise alone', async () => {
    const before = await cwAdditions(t.url);
    const w0 = await writes();
    const all = await lines();
    const res = (
      await request(t.url)
        .post('/api/usage/approve')
        .set('Authorization', auth)
        .send({ lineIds: all.filter((l) => l.kind !== 'in_sync').map((l) => l.id) })
        .expect(200)
    ).body;
    expect(res.results.filter((r: { result: string }) => r.result === 'approved')).toHaveLength(10);
    expect(res.results.filter((r: { result: string }) => r.result === 'refused')).toHaveLength(4); // the needs-attention lines
    await drain();
    const w1 = await writes();
    expect({ patch: w1.patch - w0.patch, post: w1.post - w0.post }).toEqual({ patch: 8, post: 2 }); // 7 quantities + 1 cancel, 2 new
    const after = await cwAdditions(t.url);
    const qty = (id: number) => after.find((a: { id: number }) => a.id === id);
    expect(qty(9801).quantity).toBe(21); // Contoso BP
    expect(qty(9806).quantity).toBe(27); // Fabrikam EXO
    expect(qty(9815).quantity).toBe(96); // Woodgrove ETP (future cancel date kept)
    expect(qty(9809).cancelledDate).toBeTruthy(); // Tailspin SecureTide cancelled
    expect(qty(9804)).toEqual(before.find((a: { id: number }) => a.id === 9804)); // Managed Workstation untouched
    const litware = after.filter((a: { agreementId: number }) => a.agreementId === 738);
    expect(litware).toEqual([
      expect.objectContaining({
        quantity: 6,
        billCustomer: 'Billable',
        unitPrice: 22,
        product: expect.objectContaining({ id: 512 }),
      }),
    ]);
    expect((await lines()).filter((l) => l.reviewStatus === 'written')).toHaveLength(10);

    // Approving again (a double click, a second session) writes nothing.
    const again = (
      await request(t.url)
        .post('/api/usage/approve')
        .set('Authorization', auth)
        .send({ lineIds: all.map((l) => l.id) })
        .expect(200)
    ).body;
    expect(again.results.filter((r: { result: string }) => r.result === 'approved')).toHaveLength(0);
    await drain();
    expect(await writes()).toEqual(w1);

    const audit = (await get('/api/audit?action=addition_written&pageSize=50')).body.items;
    expect(audit).toHaveLength(10);
    expect(audit[0]).toMatchObject({ actor: 'jsmith', additionId: expect.any(Number) });
  });

  it('after a crash between the POST and its commit, the restart adopts the addition instead of posting twice', async () => {
    const w0 = await writes();
    const ds = t.app.get((await import('typeorm')).DataSource);
    // The state a crash leaves behind: ConnectWise has the addition, our outbox still says "sending".
    await ds.query(`UPDATE write_backs SET status = 'sending' WHERE op = 'create_addition'`);
    await ds.query(`UPDATE usage_lines SET review_status = 'approved' WHERE kind = 'new'`);
    await t.app.get(WriteBackService).onApplicationBootstrap();
    await t.app.get(WriteBackService).resumeAll();
    await drain();
    expect(await writes()).toEqual(w0);
    expect(
      (await cwAdditions(t.url)).filter((a: { agreementId: number }) => a.agreementId === 738),
    ).toHaveLength(1);
    expect((await get('/api/usage?kind=new')).body.items.map((l: Line) => l.reviewStatus)).toEqual([
      'written',
      'written',
    ]);
  });

  it('marks a line stale instead of overwriting an addition edited in ConnectWise after the sync', async () => {
    await editInConnectWise(t.url, 731, 9801, [{ op: 'replace', path: 'quantity', value: 19 }]).expect(200);
    await request(t.url).post('/api/sync').set('Authorization', auth).expect(202);
    await waitForSync(t.url, auth);
    const contoso = (await get('/api/usage?company=contoso')).body.items.find(
      (l: Line) => l.productIdentifier === 'AR-M365-BP',
    );
    expect(contoso).toMatchObject({ vendorQty: 21, psaQty: 19, kind: 'increase', reviewStatus: 'pending' });
    await editInConnectWise(t.url, 731, 9801, [{ op: 'replace', path: 'quantity', value: 23 }]).expect(200); // someone edits it again
    await request(t.url)
      .post('/api/usage/approve')
      .set('Authorization', auth)
      .send({ lineIds: [contoso.id] })
      .expect(200);
    await drain();
    const line = (await get('/api/usage?company=contoso')).body.items.find(
      (l: Line) => l.productIdentifier === 'AR-M365-BP',
    );
    expect(line.reviewStatus).toBe('stale');
    expect(line.error).toContain('quantity now 23');
    expect((await cwAdditions(t.url)).find((a: { id: number }) => a.id === 9801).quantity).toBe(23);
  });

  it('dismisses a line for this period and keeps it dismissed while nothing changes', async () => {
    const find = async () =>
      (await get('/api/usage?company=graphic')).body.items[0] as Line & { note: string };
    const line = await find();
    expect(line.reason).toBe('no_agreement');
    await request(t.url)
      .post('/api/usage/dismiss')
      .set('Authorization', auth)
      .send({ lineIds: [line.id], note: 'no agreement yet: billed by hand' })
      .expect(200);
    await request(t.url).post('/api/sync').set('Authorization', auth).expect(202);
    await waitForSync(t.url, auth);
    const next = await find();
    expect(next.id).not.toBe(line.id);
    expect(next.reviewStatus).toBe('dismissed');
    // A difference that changed is a new situation: the stale Contoso line from the edit above is back to review.
    const contoso = (await get('/api/usage?company=contoso')).body.items.find(
      (l: Line) => l.productIdentifier === 'AR-M365-BP',
    );
    expect(contoso).toMatchObject({ vendorQty: 21, psaQty: 23, kind: 'decrease', reviewStatus: 'pending' });
  });

  it('returns the running sync instead of starting a second one', async () => {
    const first = (await request(t.url).post('/api/sync').set('Authorization', auth).expect(202)).body;
    const second = (await request(t.url).post('/api/sync').set('Authorization', auth).expect(202)).body;
    expect(second.runId).toBe(first.runId);
    await waitForSync(t.url, auth);
  });

  it('runs the scheduled sync once a day at the chosen hour, and not when the schedule is off', async () => {
    const { SyncService } = await import('../../src/sync/sync.service');
    const sync = t.app.get(SyncService);
    const now = new Date();
    await request(t.url)
      .put('/api/settings')
      .set('Authorization', auth)
      .send({ schedule: 'daily', scheduleHour: now.getUTCHours() })
      .expect(200);
    expect(await sync.scheduleTick(now)).toBe(1);
    await waitForSync(t.url, auth);
    expect(await sync.scheduleTick(now)).toBe(0); // already ran today
    const otherHour = new Date(now.getTime() + 3600_000);
    expect(await sync.scheduleTick(otherHour)).toBe(0);
    await request(t.url)
      .put('/api/settings')
      .set('Authorization', auth)
      .send({ schedule: 'off' })
      .expect(200);
    expect(await sync.scheduleTick(new Date(now.getTime() + 24 * 3600_000))).toBe(0);
    const bad = await request(t.url)
      .put('/api/settings')
      .set('Authorization', auth)
      .send({ scheduleHour: 25 })
      .expect(400);
    expect(bad.body.error).toBe('VALIDATION');
  });
});

describe('two AppRiver accounts billed on one agreement', () => {
  let t: TestApp;
  afterAll(() => t?.close());

  it("adds their seats together on the agreement's addition and writes the total once", async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    const auth = await mapDemo(t.url);
    const api = (method: 'put' | 'get' | 'post', path: string) =>
      request(t.url)[method](path).set('Authorization', auth);
    // Wingtip Toys (4 Business Premium seats) is billed on Contoso's agreement, next to Contoso's 21.
    const accounts = (await api('get', '/api/accounts?pageSize=100').expect(200)).body.items;
    const wingtip = accounts.find((a: { name: string }) => a.name === 'Wingtip Toys');
    await api('put', `/api/accounts/${wingtip.id}/mapping`)
      .send({ psaCompanyId: 250, agreementId: 731 })
      .expect(200);
    const review = (await api('get', '/api/setup/review').expect(200)).body;
    expect(review.warnings).toContain(
      'Contoso Dental Group, Wingtip Toys bill to the same agreement (Contoso - Managed Services): ' +
        'their seats are added together on its additions.',
    );
    await api('post', '/api/setup/finish').expect(200);
    expect((await waitForSync(t.url, auth)).state).toBe('succeeded');

    const bp = (await api('get', '/api/usage?company=250&pageSize=50').expect(200)).body.items.filter(
      (l: Line) => l.productIdentifier === 'AR-M365-BP',
    );
    expect(bp).toEqual([
      expect.objectContaining({
        accountName: 'Contoso Dental Group',
        vendorQty: 25,
        psaQty: 20,
        kind: 'increase',
        reasonText:
          'Seats of 2 AppRiver accounts on this agreement: Contoso Dental Group 21, Wingtip Toys 4.',
      }),
    ]);
    await api('post', '/api/usage/approve')
      .send({ lineIds: [bp[0].id] })
      .expect(200);
    await t.app.get(WriteBackService).kick(1);
    const additions = await cwAdditions(t.url);
    expect(additions.find((a: { id: number }) => a.id === 9801).quantity).toBe(25);
    expect(
      additions.filter(
        (a: { agreementId: number; product: { id: number } }) =>
          a.agreementId === 731 && a.product.id === 512,
      ),
    ).toHaveLength(1);
  });
});
