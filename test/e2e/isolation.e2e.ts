import request from 'supertest';
import { DataSource } from 'typeorm';
import { VendorAccount } from '../../src/appriver/vendor.entities';
import { SessionTokens } from '../../src/session/session-token';
import { DEFAULT_SETTINGS, Tenant } from '../../src/tenants/tenant.entity';
import { startTestApp, TestApp } from '../support/app';
import { syncDemo } from '../support/demo-month';

/** Two MSPs in one database: a member of one can neither read nor change the other's data by id. */
describe('tenant isolation', () => {
  let t: TestApp;
  let authA: string;
  let authB: string;
  let otherAccountId: number;
  beforeAll(async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    authA = await syncDemo(t.url);
    const ds = t.app.get(DataSource);
    const b = await ds.getRepository(Tenant).save({
      companyId: 'othermsp',
      site: 'eu.myconnectwise.net',
      apiHost: 'api-eu.myconnectwise.net',
      codebase: 'v2025_1/',
      publicKey: 'b-public',
      privateKey: 'b-private',
      settings: DEFAULT_SETTINGS,
      hostedEntries: [],
      setupComplete: true,
    });
    const other = await ds.getRepository(VendorAccount).save({
      tenantId: b.id,
      customerId: 'b-cust-1',
      name: 'Other MSP Customer',
      billable: true,
      lastSeenAt: new Date(),
    });
    otherAccountId = other.id;
    authB = `Bearer ${t.app.get(SessionTokens).issue({ tenantId: b.id, memberId: 'bob', name: 'Bob', canEdit: true }).token}`;
  });
  afterAll(() => t.close());

  it('lists only the own tenant’s accounts, lines and audit events', async () => {
    const accounts = (
      await request(t.url).get('/api/accounts?pageSize=200').set('Authorization', authB).expect(200)
    ).body;
    expect(accounts.items.map((a: { name: string }) => a.name)).toEqual(['Other MSP Customer']);
    const usage = (await request(t.url).get('/api/usage').set('Authorization', authB).expect(200)).body;
    expect(usage.items).toEqual([]);
    const audit = (await request(t.url).get('/api/audit').set('Authorization', authB).expect(200)).body;
    expect(audit.items).toEqual([]);
    const own = (
      await request(t.url).get('/api/accounts?pageSize=200').set('Authorization', authA).expect(200)
    ).body;
    expect(own.items.map((a: { id: number }) => a.id)).not.toContain(otherAccountId);
  });

  it('cannot change the other tenant’s mappings or lines by id', async () => {
    const aAccounts = (
      await request(t.url)
        .get('/api/accounts?filter=mapped&pageSize=200')
        .set('Authorization', authA)
        .expect(200)
    ).body.items;
    const victim = aAccounts[0];
    await request(t.url).delete(`/api/accounts/${victim.id}/mapping`).set('Authorization', authB).expect(404);
    await request(t.url)
      .post(`/api/accounts/${victim.id}/exclude`)
      .set('Authorization', authB)
      .send({})
      .expect(404);
    await request(t.url)
      .put(`/api/accounts/${victim.id}/mapping`)
      .set('Authorization', authB)
      .send({ psaCompanyId: 250 })
      .expect((r) => expect([401, 404, 409]).toContain(r.status));

    const lines = (await request(t.url).get('/api/usage').set('Authorization', authA).expect(200)).body.items;
    const lineIds = lines.map((l: { id: number }) => l.id);
    const approve = (
      await request(t.url)
        .post('/api/usage/approve')
        .set('Authorization', authB)
        .send({ lineIds })
        .expect(200)
    ).body;
    expect(approve.results.every((r: { result: string }) => r.result === 'refused')).toBe(true);
    const dismiss = (
      await request(t.url)
        .post('/api/usage/dismiss')
        .set('Authorization', authB)
        .send({ lineIds })
        .expect(200)
    ).body;
    expect(dismiss.results).toEqual([]);
    await request(t.url)
      .put(`/api/usage/${lineIds[0]}/note`)
      .set('Authorization', authB)
      .send({ note: 'x' })
      .expect(404);

    const after = (
      await request(t.url)
        .get('/api/accounts?filter=mapped&pageSize=200')
        .set('Authorization', authA)
        .expect(200)
    ).body.items;
    expect(after.find((a: { id: number }) => a.id === victim.id).mapping).toEqual(victim.mapping);
    const linesAfter = (await request(t.url).get('/api/usage').set('Authorization', authA).expect(200)).body
      .items;
    expect(linesAfter.map((l: { reviewStatus: string }) => l.reviewStatus)).toEqual(
      lines.map((l: { reviewStatus: string }) => l.reviewStatus),
    );
  });
});
