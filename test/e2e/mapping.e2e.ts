import request from 'supertest';
import { startTestApp, TestApp } from '../support/app';
import { connectDemo, signIn } from '../support/flows';

describe('mapping AppRiver accounts and services (demo world)', () => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    auth = await connectDemo(t.url);
  });
  afterAll(() => t.close());

  const get = (path: string) => request(t.url).get(path).set('Authorization', auth).expect(200);
  const accounts = async (query = 'filter=all&pageSize=100') => (await get(`/api/accounts?${query}`)).body;
  const byName = async (name: string) =>
    (await accounts()).items.find((a: { name: string }) => a.name === name);

  it('auto-matches exactly the 8 safe ones, each with how it was matched', async () => {
    const all = await accounts();
    const auto = all.items
      .filter((a: any) => a.mapping)
      .map((a: any) => [a.name, a.mapping.method, a.mapping.psaCompanyName])
      .sort();
    expect(auto).toEqual(
      [
        ['Adventure Works Cycles', 'external_number', 'Adventure Works Cycles'],
        ['Alpine Ski House', 'exact_name', 'Alpine Ski House'],
        ['Contoso Dental Group', 'external_number', 'Contoso Dental Group'],
        ['Fabrikam Legal LLP', 'exact_name', 'Fabrikam Legal LLP'],
        ['Fourth Coffee', 'external_number', 'Fourth Coffee'],
        ['Graphic Design Institute', 'exact_name', 'Graphic Design Institute'],
        ['Northwind Traders', 'exact_name', 'Northwind Traders'],
        ['WOODGROVE BANK', 'exact_name', 'Woodgrove Bank'],
      ].sort(),
    );
    expect(all.counts).toMatchObject({ all: 14, mapped: 8, not_billable: 2 });
  });

  it('suggests the right company first for the fuzzy ones, never the deleted Proseware', async () => {
    const top = async (name: string) => (await byName(name)).suggestions[0];
    expect(await top('Tailspin Toys')).toMatchObject({ targetId: 253, label: 'Tailspin Toys, Inc.' });
    expect(await top('Litware, Inc.')).toMatchObject({ targetId: 256 });
    expect(await top('Coho Winery and Vineyard')).toMatchObject({ targetId: 259 });
    const proseware = await byName('Proseware Inc');
    expect(proseware.suggestions[0]).toMatchObject({ targetId: 263 });
    expect(proseware.suggestions.map((s: any) => s.targetId)).not.toContain(262);
    for (const s of proseware.suggestions) expect(s.score).toBeGreaterThanOrEqual(50);
    expect((await byName('Wingtip Toys')).mapping).toBeNull();
    expect((await byName('Acme Managed IT (Partner)')).mapping).toBeNull();
    const suggested = await accounts('filter=suggested');
    expect(suggested.items.map((a: any) => a.name)).toEqual(
      expect.arrayContaining(['Tailspin Toys', 'Litware, Inc.', 'Coho Winery and Vineyard', 'Proseware Inc']),
    );
  });

  it('chooses the only active agreement automatically and leaves two to the user', async () => {
    const litware = await byName('Litware, Inc.');
    const mapped = (
      await request(t.url)
        .put(`/api/accounts/${litware.id}/mapping`)
        .set('Authorization', auth)
        .send({ psaCompanyId: 256, method: 'suggestion' })
        .expect(200)
    ).body;
    expect(mapped.mapping).toMatchObject({
      agreementId: 738,
      methodLabel: 'Suggestion confirmed',
      mappedBy: 'jsmith',
    });
    const adventure = await byName('Adventure Works Cycles');
    expect(adventure.mapping).toMatchObject({ agreementId: null, agreementProblem: 'choose' });
    const options = (await get(`/api/psa/companies/254/agreements`)).body.items.map((a: any) => a.id).sort();
    expect(options).toEqual([734, 735]);
    const chosen = (
      await request(t.url)
        .put(`/api/accounts/${adventure.id}/mapping`)
        .set('Authorization', auth)
        .send({ psaCompanyId: 254, agreementId: 734 })
        .expect(200)
    ).body;
    expect(chosen.mapping).toMatchObject({
      agreementId: 734,
      agreementName: 'Adventure Works - Managed',
      method: 'external_number',
    });
    expect((await byName('Graphic Design Institute')).mapping.agreementProblem).toBe('none_active');
  });

  it('maps manually, unmaps, excludes, and auto-match never overrides a person', async () => {
    const wingtip = await byName('Wingtip Toys');
    await request(t.url)
      .put(`/api/accounts/${wingtip.id}/mapping`)
      .set('Authorization', auth)
      .send({ psaCompanyId: 258 })
      .expect(200);
    expect((await byName('Wingtip Toys')).mapping).toMatchObject({ psaCompanyId: 258, method: 'manual' });
    await request(t.url).delete(`/api/accounts/${wingtip.id}/mapping`).set('Authorization', auth).expect(200);
    const fabrikam = await byName('Fabrikam Legal LLP');
    await request(t.url)
      .delete(`/api/accounts/${fabrikam.id}/mapping`)
      .set('Authorization', auth)
      .expect(200);
    await request(t.url).post('/api/accounts/auto-match').set('Authorization', auth).expect(200);
    expect((await byName('Fabrikam Legal LLP')).mapping).toBeNull(); // the person's unmap stands
    await request(t.url)
      .put(`/api/accounts/${fabrikam.id}/mapping`)
      .set('Authorization', auth)
      .send({ psaCompanyId: 251 })
      .expect(200);
    const excluded = (
      await request(t.url)
        .post(`/api/accounts/${wingtip.id}/exclude`)
        .set('Authorization', auth)
        .send({})
        .expect(200)
    ).body;
    expect(excluded.excluded).toBe(true);
    expect((await accounts('filter=excluded')).items.map((a: any) => a.name)).toEqual(['Wingtip Toys']);
    await request(t.url)
      .post(`/api/accounts/${wingtip.id}/exclude`)
      .set('Authorization', auth)
      .send({ excluded: false })
      .expect(200);
  });

  it('refuses a deleted company, an agreement of another company, and unknown ids', async () => {
    const tailspin = await byName('Tailspin Toys');
    const deleted = await request(t.url)
      .put(`/api/accounts/${tailspin.id}/mapping`)
      .set('Authorization', auth)
      .send({ psaCompanyId: 262 })
      .expect(400);
    expect(deleted.body.error).toBe('BAD_COMPANY');
    const wrongAgreement = await request(t.url)
      .put(`/api/accounts/${tailspin.id}/mapping`)
      .set('Authorization', auth)
      .send({ psaCompanyId: 253, agreementId: 731 })
      .expect(400);
    expect(wrongAgreement.body.message).toContain('not an active agreement');
    await request(t.url)
      .put('/api/accounts/99999/mapping')
      .set('Authorization', auth)
      .send({ psaCompanyId: 253 })
      .expect(404);
    await request(t.url)
      .put(`/api/accounts/${tailspin.id}/mapping`)
      .set('Authorization', auth)
      .send({ psaCompanyId: 'x' })
      .expect(400);
  });

  it('searches PSA companies and products on the server', async () => {
    expect((await get('/api/psa/companies?search=coho')).body.items.map((c: any) => c.id)).toEqual([259]);
    expect((await get('/api/psa/products?search=AR-M365')).body.items.map((p: any) => p.identifier)).toEqual([
      'AR-M365-BP',
      'AR-M365-BS',
    ]);
    expect((await get('/api/psa/products?search=backup')).body.items.map((p: any) => p.identifier)).toEqual([
      'AR-C2CB',
    ]); // the inactive legacy backup is not offered
  });

  it('refuses Finish until a service is mapped, then accepts and starts the first sync', async () => {
    const refused = await request(t.url).post('/api/setup/finish').set('Authorization', auth).expect(400);
    expect(refused.body).toMatchObject({
      error: 'SETUP_INCOMPLETE',
      message: expect.stringContaining('service'),
    });
    const services = (await get('/api/services')).body.items;
    const bp = services.find((s: any) => s.productName === 'Microsoft 365 Business Premium');
    expect(bp.accounts).toBeGreaterThan(0);
    expect(bp.suggestions[0]).toMatchObject({ code: 'AR-M365-BP' });
    await request(t.url)
      .put(`/api/services/${bp.id}/mapping`)
      .set('Authorization', auth)
      .send({ psaProductId: 512 })
      .expect(200);
    const review = (await get('/api/setup/review')).body;
    expect(review.canFinish).toBe(true);
    expect(review.warnings.join('\n')).toContain('Graphic Design Institute: no agreement chosen');
    const finished = (await request(t.url).post('/api/setup/finish').set('Authorization', auth).expect(200))
      .body;
    expect(finished.runId).toEqual(expect.any(Number));
    expect((await get('/api/appriver/status')).body.status).toBe('active');
  });

  it('records every mapping change in the audit trail with member, before and after', async () => {
    const { AuditService } = await import('../../src/audit/audit.service');
    const tenantId = 1;
    const events = (await t.app.get(AuditService).list(tenantId, { action: 'account_mapped', pageSize: 200 }))
      .items;
    const adventure = events.find((e) => e.summary?.includes('Adventure Works - Managed'))!;
    expect(adventure.actor).toBe('jsmith');
    expect(adventure.before).toMatchObject({ agreementId: null });
    expect(adventure.after).toMatchObject({ agreementId: 734 });
    expect(events.filter((e) => e.actor === 'auto-match')).toHaveLength(8);
    const services = await t.app
      .get(AuditService)
      .list(tenantId, { action: 'service_mapped', pageSize: 200 });
    // Named as billing staff know the service, not by its internal key.
    expect(services.items.map((e) => e.summary)).toContain(
      'Microsoft 365 Business Premium (Annual term, billed Monthly) → AR-M365-BP',
    );
    const finished = await t.app
      .get(AuditService)
      .list(tenantId, { action: 'setup_finished', pageSize: 200 });
    expect(finished.items[0].summary).toMatch(
      /^Setup finished with \d+ account\(s\) and 1 service\(s\) mapped$/,
    );
  });

  it('lets read-only members look but not change', async () => {
    const viewer = await signIn(t.url, 'viewer');
    await request(t.url).get('/api/accounts').set('Authorization', viewer).expect(200);
    const res = await request(t.url)
      .put('/api/accounts/1/mapping')
      .set('Authorization', viewer)
      .send({ psaCompanyId: 250 })
      .expect(403);
    expect(res.body.error).toBe('READ_ONLY');
  });
});
