import { ConnectWiseError } from '../../src/connectwise/connectwise.errors';
import { ConnectWiseClients } from '../../src/connectwise/connectwise.module';
import request from 'supertest';
import { demoWorld, startTestApp, TestApp } from '../support/app';

/** ConnectWiseClient over real HTTP against the simulated ConnectWise. */
describe('ConnectWiseClient against the simulator', () => {
  let t: TestApp;
  const world = demoWorld();
  for (let i = 0; i < 1200; i++) {
    world.connectwise.companies.push({
      id: 10000 + i,
      identifier: `Gen${i}`,
      name: `Generated Company ${i}`,
      deletedFlag: false,
      status: 'Active',
    });
  }
  beforeAll(async () => (t = await startTestApp({ world })));
  afterAll(() => t.close());
  afterEach(async () => {
    await request(t.url).delete('/sandbox/faults');
    await request(t.url).delete('/sandbox/stats');
  });

  const client = (privateKey = 'sandbox-private') =>
    t.app.get(ConnectWiseClients).for({
      apiHost: 'api-na.myconnectwise.net',
      codebase: 'v2025_1/',
      companyId: 'acme',
      username: 'sandbox-public',
      password: privateKey,
    });
  const stats = async () =>
    (await request(t.url).get('/sandbox/stats')).body.endpoints as Record<string, number>;

  it('pages to exhaustion past 1000 rows at pageSize 1000', async () => {
    const companies = await client().allCompanies();
    expect(companies).toHaveLength(1200 + 14); // the deleted demo company is filtered by the condition
    expect((await stats())['connectwise GET /company/companies']).toBe(2);
  });

  it('waits out a 429 with Retry-After and then succeeds', async () => {
    await request(t.url)
      .post('/sandbox/faults')
      .send({ connectwise: { rateLimitEvery: 1, retryAfterSeconds: 1 } });
    const c = client();
    const before = c.counters.systemInfo ?? 0;
    const started = Date.now();
    const pending = c.systemInfo();
    setTimeout(
      () =>
        void request(t.url)
          .post('/sandbox/faults')
          .send({ connectwise: { rateLimitEvery: 0 } })
          .then(),
      300,
    );
    await expect(pending).resolves.toMatchObject({ isCloud: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(c.counters.systemInfo - before).toBe(2); // counters are per tenant, shared by its clients
  });

  it('retries a burst of 500s and then succeeds', async () => {
    await request(t.url).post('/sandbox/faults').send({ connectwiseServerErrors: 3 });
    const c = client();
    const before = c.counters.agreementsByCompanyIds ?? 0;
    const agreements = await c.agreementsByCompanyIds([250, 251]);
    expect(agreements.map((a) => a.id).sort()).toEqual([731, 732]);
    expect(c.counters.agreementsByCompanyIds - before).toBe(4); // three 500s, then the answer
  });

  it('surfaces a 400 with field errors as a typed error, without retrying', async () => {
    const c = client();
    const error = await c.createAddition(731, { quantity: 1 } as never).catch((e) => e);
    expect(error).toBeInstanceOf(ConnectWiseError);
    expect(error).toMatchObject({ operation: 'createAddition', status: 400, code: 'InvalidObject' });
    expect(error.fieldErrors.map((f: { field: string }) => f.field)).toEqual(
      expect.arrayContaining(['product', 'billCustomer']),
    );
    expect(c.counters.createAddition).toBe(1);
  });

  it('never retries a 401 and never puts the keys in the error', async () => {
    const c = client('not-the-key');
    const before = c.counters.systemInfo ?? 0;
    const error = await c.systemInfo().catch((e) => e);
    expect(error).toMatchObject({ status: 401 });
    expect(c.counters.systemInfo - before).toBe(1);
    expect(JSON.stringify({ message: error.message, ...error })).not.toMatch(/not-the-key|sandbox-public/);
  });

  it('chunks long id lists under the URL limit and fetches only the fields it uses', async () => {
    const ids = Array.from({ length: 1200 }, (_, i) => 10000 + i);
    const rows = await client().companiesByIds(ids);
    expect(rows).toHaveLength(1200);
    expect(Object.keys(rows[0]).sort()).toEqual(['deletedFlag', 'id', 'identifier', 'name', 'status']);
    expect((await stats())['connectwise GET /company/companies']).toBeGreaterThan(1);
  });

  it('searches companies by name or identifier, one page with a total', async () => {
    const page = await client().searchCompanies('contoso');
    expect(page.items.map((c) => c.name)).toEqual(['Contoso Dental Group']);
    expect(page.total).toBe(1);
    const proseware = await client().searchCompanies('Proseware');
    expect(proseware.items.map((c) => c.id)).toEqual([263]); // the deleted look-alike is never offered
  });
});
