import request from 'supertest';
import { demoWorld, startTestApp, TestApp } from '../support/app';

// The simulated ConnectWise REST API over real HTTP, as our ConnectWiseClient will call it.

const CLIENT_ID = '3f2c9a4e-1b2d-4c3e-8f9a-0b1c2d3e4f5a';
const API = '/v2025_1/apis/3.0';
const basic = (user: string, secret: string, company = 'acme') =>
  `Basic ${Buffer.from(`${company}+${user}:${secret}`).toString('base64')}`;
const FULL_KEY = basic('sandbox-public', 'sandbox-private');
const READONLY_KEY = basic('readonly-public', 'readonly-private');
const JSMITH = basic('jsmith', 'sandbox-hash-jsmith');

type Verb = 'get' | 'post' | 'patch' | 'put' | 'delete';

describe('simulated ConnectWise REST API', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());
  afterEach(async () => {
    await request(t.url).delete('/sandbox/faults').expect(200);
    await request(t.url).delete('/sandbox/stats').expect(200);
    await request(t.url).post('/sandbox/cw/reset').expect(200);
  });

  /** A request with our clientId and the given credentials (the full API key by default). */
  const cw = (verb: Verb, path: string, auth: string | null = FULL_KEY) => {
    const req = request(t.url)[verb](`${API}${path}`).set('clientId', CLIENT_ID);
    return auth ? req.set('Authorization', auth) : req;
  };

  describe('company info and access', () => {
    it('answers /login/companyinfo case-insensitively and 404s another company', async () => {
      const res = await request(t.url).get('/login/companyinfo/ACME').expect(200);
      expect(res.body).toEqual({
        CompanyName: 'demo',
        Codebase: 'v2025_1/',
        VersionCode: 'v2025.1',
        VersionNumber: expect.stringMatching(/^v4\.6\.\d+$/),
        CompanyID: 'acme',
        IsCloud: 'True',
        SiteUrl: 'na.myconnectwise.net',
      });
      const missing = await request(t.url).get('/login/companyinfo/globex').expect(404);
      expect(missing.body).toEqual({ code: 'NotFound', message: 'Company not found' });
    });

    it('serves the world codebase and v4_6_release, and 404s any other', async () => {
      await cw('get', '/system/info').expect(200);
      await request(t.url)
        .get('/v4_6_release/apis/3.0/system/info')
        .set('clientId', CLIENT_ID)
        .set('Authorization', FULL_KEY)
        .expect(200);
      const res = await request(t.url)
        .get('/v2019_1/apis/3.0/system/info')
        .set('clientId', CLIENT_ID)
        .set('Authorization', FULL_KEY)
        .expect(404);
      expect(res.body.code).toBe('NotFound');
    });

    it('requires a GUID clientId header', async () => {
      const body = {
        code: 'Unauthorized',
        message: 'clientId header is required. See https://developer.connectwise.com/ClientID',
      };
      const missing = await request(t.url)
        .get(`${API}/system/info`)
        .set('Authorization', FULL_KEY)
        .expect(401);
      expect(missing.body).toEqual(body);
      const notGuid = await request(t.url)
        .get(`${API}/system/info`)
        .set('Authorization', FULL_KEY)
        .set('clientId', 'my-app')
        .expect(401);
      expect(notGuid.body).toEqual(body);
    });

    it('refuses bad, missing or other-company credentials with UserNotAuthenticated', async () => {
      const body = { code: 'ConnectWiseApi', message: 'UserNotAuthenticated' };
      for (const auth of [
        basic('sandbox-public', 'wrong'),
        basic('sandbox-public', 'sandbox-private', 'globex'),
        'Bearer abc',
        null,
      ]) {
        const res = await cw('get', '/company/companies', auth).expect(401);
        expect(res.body).toEqual(body);
      }
      // The company id is case-insensitive.
      await cw('get', '/company/companies', basic('sandbox-public', 'sandbox-private', 'ACME')).expect(200);
    });

    it('accepts member credentials only on /system/myMembers/info and /system/mySecurity', async () => {
      const me = await cw('get', '/system/myMembers/info', JSMITH).expect(200);
      expect(me.body).toMatchObject({
        identifier: 'jsmith',
        defaultEmail: 'jsmith@acme.example',
        licenseClass: 'F',
        inactiveFlag: false,
      });
      const security = await cw('get', '/system/mySecurity', JSMITH).expect(200);
      expect(security.body).toContainEqual(
        expect.objectContaining({
          moduleIdentifier: 'Finance',
          moduleFunctionIdentifier: 'Agreements',
          addLevel: 'All',
          editLevel: 'All',
          deleteLevel: 'All',
          inquireLevel: 'All',
        }),
      );
      expect(security.body).toContainEqual(
        expect.objectContaining({ moduleFunctionIdentifier: 'CompanyMaintenance' }),
      );
      const res = await cw('get', '/company/companies', JSMITH).expect(401);
      expect(res.body).toEqual({ code: 'ConnectWiseApi', message: 'UserNotAuthenticated' });
      await cw('get', '/system/info', JSMITH).expect(401);
    });

    it('accepts the hosted API cookie form, which needs memberContext', async () => {
      const cookie = 'companyName=acme; memberId=viewer; memberHash=sandbox-hash-viewer; memberContext=web';
      const res = await cw('get', '/system/mySecurity?conditions=moduleFunctionIdentifier="Agreements"', null)
        .set('Cookie', cookie)
        .expect(200);
      expect(res.body).toEqual([expect.objectContaining({ editLevel: 'None', inquireLevel: 'All' })]);
      await cw('get', '/system/myMembers/info', null)
        .set('Cookie', 'companyName=acme; memberId=viewer; memberHash=sandbox-hash-viewer')
        .expect(401);
    });

    it('refuses a wrong member hash', async () => {
      const res = await cw('get', '/system/myMembers/info', basic('jsmith', 'sandbox-hash-viewer')).expect(
        401,
      );
      expect(res.body).toEqual({ code: 'ConnectWiseApi', message: 'UserNotAuthenticated' });
    });

    it('answers 403 naming the missing permission for a read-only key', async () => {
      await cw('get', '/company/companies', READONLY_KEY).expect(200);
      await cw('get', '/finance/agreements/731/additions', READONLY_KEY).expect(200);
      const post = await cw('post', '/finance/agreements/731/additions', READONLY_KEY)
        .send({ product: { id: 512 }, billCustomer: 'Billable', quantity: 1 })
        .expect(403);
      expect(post.body).toEqual({
        code: 'Unauthorized',
        message: expect.stringContaining('Finance.Agreements.Add'),
      });
      const setup = await cw('post', '/system/connectwisehostedsetups', READONLY_KEY)
        .send({ screenId: 1, description: 'AppRiver', url: 'https://app.example/pod', type: 'Pod' })
        .expect(403);
      expect(setup.body.message).toContain('System.TableSetup.ManageHostedApi');
      const catalog = await cw('get', '/procurement/catalog', READONLY_KEY).expect(403);
      expect(catalog.body.message).toContain('Procurement.ProductCatalog.Inquire');
    });

    it('answers 404 with ConnectWise body for an unknown resource', async () => {
      const res = await cw('get', '/service/tickets').expect(404);
      expect(res.body).toEqual({ code: 'NotFound', message: expect.any(String) });
      const agreement = await cw('get', '/finance/agreements/9999/additions').expect(404);
      expect(agreement.body).toEqual({ code: 'NotFound', message: 'Agreement with id 9999 not found' });
    });
  });

  describe('queries', () => {
    it('filters agreements by company and cancelled flag', async () => {
      const res = await cw('get', '/finance/agreements')
        .query({ conditions: 'company/id=250 and cancelledFlag=false' })
        .expect(200);
      expect(res.body).toEqual([
        expect.objectContaining({
          id: 731,
          company: { id: 250, identifier: 'ContosoDental', name: 'Contoso Dental Group' },
          type: { id: expect.any(Number), name: 'Managed Services' },
          billingCycle: { id: 2, name: 'Monthly' },
          noEndingDateFlag: true,
        }),
      ]);
    });

    it('finds active additions with cancelledDate=null and leaves null fields out, as ConnectWise does', async () => {
      const all = await cw('get', '/finance/agreements/732/additions').expect(200);
      expect(all.body.map((a: { id: number }) => a.id)).toEqual([9805, 9806, 9850]);
      const active = await cw('get', '/finance/agreements/732/additions')
        .query({ conditions: 'cancelledDate=null' })
        .expect(200);
      expect(active.body.map((a: { id: number }) => a.id)).toEqual([9805, 9806]);
      expect(active.body[0]).not.toHaveProperty('cancelledDate');
      expect(active.body[0]).toMatchObject({
        product: { id: 513, identifier: 'AR-M365-BS' },
        quantity: 8,
        unitPrice: 12.5,
        extPrice: 100,
        agreementId: 732,
        billCustomer: 'Billable',
        taxableFlag: false,
        _info: { lastUpdated: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/) },
      });
    });

    it('supports identifier in (...) on the catalog', async () => {
      const res = await cw('get', '/procurement/catalog')
        .query({ conditions: 'identifier in ("AR-M365-BP","ar-etp","NOPE")' })
        .expect(200);
      expect(res.body.map((c: { identifier: string }) => c.identifier)).toEqual(['AR-M365-BP', 'AR-ETP']);
      expect(res.body[0]).toMatchObject({ productClass: 'Service', subcategory: { id: 1, name: 'Cloud' } });
    });

    it('answers a bad condition or unknown field with 400 InvalidObject', async () => {
      const bad = await cw('get', '/company/companies').query({ conditions: 'identifier = ' }).expect(400);
      expect(bad.body).toEqual({ code: 'InvalidObject', message: expect.any(String), errors: null });
      const unknown = await cw('get', '/company/companies').query({ conditions: 'colour="red"' }).expect(400);
      expect(unknown.body.message).toContain('colour');
    });

    it('projects fields, including sub-fields', async () => {
      const res = await cw('get', '/finance/agreements/731')
        .query({ fields: 'id,name,company/identifier' })
        .expect(200);
      expect(res.body).toEqual({
        id: 731,
        name: 'Contoso - Managed Services',
        company: { identifier: 'ContosoDental' },
      });
    });

    it('orders by the given field', async () => {
      const res = await cw('get', '/company/companies')
        .query({ orderBy: 'name desc', fields: 'name' })
        .expect(200);
      const names = res.body.map((c: { name: string }) => c.name);
      expect(names).toEqual([...names].sort((a, b) => b.localeCompare(a)));
    });

    it('pages with a Link header and returns deleted companies unless filtered', async () => {
      const first = await cw('get', '/company/companies?pageSize=5').expect(200);
      expect(first.body).toHaveLength(5);
      expect(first.headers.link).toContain(`${API}/company/companies?pageSize=5&page=2>; rel="next"`);
      expect(first.headers.link).toContain('pageSize=5&page=3>; rel="last"');
      const last = await cw('get', '/company/companies?pageSize=5&page=3').expect(200);
      expect(last.headers.link).not.toContain('rel="next"');
      expect(last.headers.link).toContain('rel="prev"');
      expect(last.body).toContainEqual(
        expect.objectContaining({ identifier: 'ProsewareOld', deletedFlag: true }),
      );
    });

    it('counts with and without conditions', async () => {
      expect((await cw('get', '/company/companies/count').expect(200)).body).toEqual({ count: 15 });
      const live = await cw('get', '/company/companies/count')
        .query({ conditions: 'deletedFlag=false' })
        .expect(200);
      expect(live.body).toEqual({ count: 14 });
      const additions = await cw('get', '/finance/agreements/731/additions/count').expect(200);
      expect(additions.body).toEqual({ count: 4 });
    });
  });

  describe('agreement additions', () => {
    const additionsPath = '/finance/agreements/731/additions';

    it('refuses a POST without product and billCustomer, one field error each', async () => {
      const res = await cw('post', additionsPath).send({ quantity: 3 }).expect(400);
      expect(res.body).toEqual({
        code: 'InvalidObject',
        message: 'addition object is invalid',
        errors: [
          {
            code: 'NullValue',
            message: 'The product field is required.',
            resource: 'addition',
            field: 'product',
          },
          {
            code: 'NullValue',
            message: 'The billCustomer field is required.',
            resource: 'addition',
            field: 'billCustomer',
          },
        ],
      });
    });

    it('refuses an inactive or unknown product', async () => {
      const inactive = await cw('post', additionsPath)
        .send({ product: { identifier: 'MSP-OLD-BACKUP' }, billCustomer: 'Billable' })
        .expect(400);
      expect(inactive.body.errors).toEqual([
        expect.objectContaining({ code: 'InvalidObject', message: 'Product is inactive', field: 'product' }),
      ]);
      const unknown = await cw('post', additionsPath)
        .send({ product: { id: 1 }, billCustomer: 'Sometimes' })
        .expect(400);
      expect(unknown.body.errors.map((e: { field: string }) => e.field)).toEqual(['product', 'billCustomer']);
    });

    it('creates an addition with catalog defaults, visible in the sandbox state', async () => {
      const res = await cw('post', additionsPath)
        .send({ product: { identifier: 'AR-SAT' }, billCustomer: 'Billable', quantity: 12 })
        .expect(201);
      const today = new Date().toISOString().slice(0, 10);
      expect(res.body).toMatchObject({
        id: 9851, // max existing addition id + 1
        product: { id: 517, identifier: 'AR-SAT' },
        quantity: 12,
        agreementId: 731,
        effectiveDate: `${today}T00:00:00Z`,
      });
      const catalogItem = (await cw('get', '/procurement/catalog/517').expect(200)).body;
      expect(res.body.unitPrice).toBe(catalogItem.price);
      expect(res.body.unitCost).toBe(catalogItem.cost);
      expect(res.body.extPrice).toBeCloseTo(catalogItem.price * 12);

      const state = (await request(t.url).get('/sandbox/cw/state').expect(200)).body;
      const agreement = state.agreements.find((a: { id: number }) => a.id === 731);
      expect(agreement.additions).toContainEqual(expect.objectContaining({ id: 9851, quantity: 12 }));
    });

    it('patches the quantity and bumps lastUpdated', async () => {
      const before = (await cw('get', `${additionsPath}/9801`).expect(200)).body;
      const res = await cw('patch', `${additionsPath}/9801`)
        .send([{ op: 'replace', path: 'quantity', value: 45 }])
        .expect(200);
      expect(res.body).toMatchObject({ id: 9801, quantity: 45, extPrice: 45 * before.unitPrice });
      expect(Date.parse(res.body._info.lastUpdated)).toBeGreaterThanOrEqual(
        Date.parse(before._info.lastUpdated),
      );
      // A leading slash is fine too.
      await cw('patch', `${additionsPath}/9801`)
        .send([{ op: 'replace', path: '/quantity', value: 46 }])
        .expect(200);
      expect((await cw('get', `${additionsPath}/9801`)).body.quantity).toBe(46);
    });

    it('refuses a PATCH that is not an array, names an unknown path or has a wrong type', async () => {
      const notArray = await cw('patch', `${additionsPath}/9801`).send({ quantity: 5 }).expect(400);
      expect(notArray.body).toMatchObject({
        code: 'InvalidObject',
        errors: [expect.objectContaining({ resource: 'addition' })],
      });
      const unknown = await cw('patch', `${additionsPath}/9801`)
        .send([{ op: 'replace', path: 'Quantity', value: 5 }])
        .expect(400);
      expect(unknown.body.errors[0].field).toBe('Quantity');
      const wrongType = await cw('patch', `${additionsPath}/9801`)
        .send([{ op: 'replace', path: 'cancelledDate', value: 'next tuesday' }])
        .expect(400);
      expect(wrongType.body.errors[0].field).toBe('cancelledDate');
      expect((await cw('get', `${additionsPath}/9801`)).body.quantity).toBe(20);
    });

    it('answers a malformed JSON body with a ConnectWise 400', async () => {
      const res = await cw('patch', `${additionsPath}/9801`)
        .set('Content-Type', 'application/json')
        .send('[{"op":')
        .expect(400);
      expect(res.body).toEqual({
        code: 'InvalidObject',
        message: expect.stringContaining('JSON'),
        errors: null,
      });
    });

    it('replaces an addition with PUT, resetting what the body leaves out to its default', async () => {
      await cw('patch', `${additionsPath}/9801`)
        .send([{ op: 'replace', path: 'invoiceDescription', value: 'June usage' }])
        .expect(200);
      const res = await cw('put', `${additionsPath}/9801`)
        .send({ product: { id: 512 }, billCustomer: 'DoNotBill', quantity: 3, unitPrice: 20 })
        .expect(200);
      expect(res.body).toMatchObject({
        id: 9801,
        billCustomer: 'DoNotBill',
        quantity: 3,
        unitPrice: 20,
        unitCost: 18.7,
      });
      expect(res.body).not.toHaveProperty('invoiceDescription');
    });

    it('cancels with cancelledDate so the addition drops out of the active list', async () => {
      const res = await cw('patch', `${additionsPath}/9802`)
        .send([{ op: 'replace', path: 'cancelledDate', value: '2025-06-30T00:00:00Z' }])
        .expect(200);
      expect(res.body.cancelledDate).toBe('2025-06-30T00:00:00Z');
      const active = await cw('get', additionsPath).query({ conditions: 'cancelledDate=null' }).expect(200);
      expect(active.body.map((a: { id: number }) => a.id)).toEqual([9801, 9803, 9804]);
    });

    it('deletes an addition', async () => {
      const res = await cw('delete', `${additionsPath}/9803`).expect(204);
      expect(res.text).toBe('');
      const gone = await cw('get', `${additionsPath}/9803`).expect(404);
      expect(gone.body.code).toBe('NotFound');
      await cw('delete', `${additionsPath}/9803`).expect(404);
    });

    it('forgets every change on reset', async () => {
      await cw('delete', `${additionsPath}/9803`).expect(204);
      await request(t.url).post('/sandbox/cw/reset').expect(200);
      await cw('get', `${additionsPath}/9803`).expect(200);
    });
  });

  describe('hosted API registrations', () => {
    const setupBody = {
      screenId: 1,
      description: 'AppRiver usage',
      url: 'https://app.example/cw/pod?id=[cw_id]&screen=[cw_screen]',
      type: 'Pod',
      origin: 'https://app.example',
      podHeight: 300,
    };

    it('lists the screens that can host', async () => {
      const res = await cw('get', '/system/connectWiseHostedScreens').expect(200);
      expect(res.body.map((s: { name: string }) => s.name)).toEqual([
        'Company',
        'Ticket',
        'Contact',
        'SalesOrder',
      ]);
    });

    it('validates a hosted setup', async () => {
      const res = await cw('post', '/system/connectwisehostedsetups')
        .send({ screenId: 99, url: 'x'.repeat(1025), type: 'Popup' })
        .expect(400);
      expect(res.body.code).toBe('InvalidObject');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([
        'screenId',
        'description',
        'url',
        'type',
      ]);
    });

    it('creates, reads, patches, replaces and deletes a hosted setup', async () => {
      const created = await cw('post', '/system/connectwisehostedsetups').send(setupBody).expect(201);
      expect(created.body).toMatchObject({
        id: 1,
        ...setupBody,
        clientId: CLIENT_ID, // filled from the clientId header
        disabledFlag: false,
        locationsEnabledFlag: false,
        locationIds: [],
        createdBy: expect.any(String),
        dateCreated: expect.any(String),
      });
      const path = `/system/connectwisehostedsetups/${created.body.id}`;
      expect((await cw('get', path).expect(200)).body).toEqual(created.body);
      expect((await cw('get', '/system/connectwisehostedsetups').expect(200)).body).toHaveLength(1);

      const patched = await cw('patch', path)
        .send([{ op: 'replace', path: 'podHeight', value: 400 }])
        .expect(200);
      expect(patched.body.podHeight).toBe(400);
      const replaced = await cw('put', path)
        .send({ ...setupBody, type: 'Tab', podHeight: undefined })
        .expect(200);
      expect(replaced.body).toMatchObject({ id: created.body.id, type: 'Tab' });
      expect(replaced.body).not.toHaveProperty('podHeight');

      const state = (await request(t.url).get('/sandbox/cw/state').expect(200)).body;
      expect(state.hostedSetups).toEqual([replaced.body]);

      await cw('delete', path).expect(204);
      await cw('get', path).expect(404);
      expect((await request(t.url).get('/sandbox/cw/state')).body.hostedSetups).toEqual([]);
    });

    it('creates, reads, patches and deletes a menu entry', async () => {
      const bad = await cw('post', '/system/menuentries')
        .send({ caption: 'x'.repeat(51) })
        .expect(400);
      expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['caption', 'link']);

      const created = await cw('post', '/system/menuentries')
        .send({
          caption: 'AppRiver Billing',
          link: 'https://app.example/cw/app',
          origin: 'https://app.example',
        })
        .expect(201);
      expect(created.body).toMatchObject({
        id: 1,
        caption: 'AppRiver Billing',
        newWindowFlag: false,
        clientId: CLIENT_ID,
        menuLocation: { id: 1, name: 'Finance' },
        locationIds: [],
      });
      const path = `/system/menuentries/${created.body.id}`;
      const patched = await cw('patch', path)
        .send([{ op: 'replace', path: 'caption', value: 'AppRiver Reconcile' }])
        .expect(200);
      expect(patched.body.caption).toBe('AppRiver Reconcile');
      const list = await cw('get', '/system/menuentries')
        .query({ conditions: 'caption like "AppRiver%"' })
        .expect(200);
      expect(list.body).toEqual([patched.body]);
      expect((await request(t.url).get('/sandbox/cw/state')).body.menuEntries).toEqual([patched.body]);
      await cw('delete', path).expect(204);
      expect((await cw('get', '/system/menuentries/count').expect(200)).body).toEqual({ count: 0 });
    });
  });

  describe('faults and stats', () => {
    it('rate-limits every 2nd call with Retry-After', async () => {
      await request(t.url)
        .post('/sandbox/faults')
        .send({ connectwise: { rateLimitEvery: 2 } })
        .expect(200);
      // The fault counter runs from the start of the process, so the pattern may begin on either beat.
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await cw('get', '/system/info');
        statuses.push(res.status);
        if (res.status === 429) {
          expect(res.headers['retry-after']).toBe('1');
          expect(res.body).toEqual({
            error: 'ConnectWiseAPI',
            message: 'Too many requests. Please try again in 1 seconds.',
          });
        }
      }
      expect([
        [200, 429, 200, 429],
        [429, 200, 429, 200],
      ]).toContainEqual(statuses);
    });

    it('answers 500 with UnexpectedError when server errors are injected', async () => {
      await request(t.url)
        .post('/sandbox/faults')
        .send({ connectwise: { serverErrorEvery: 1 } })
        .expect(200);
      const res = await cw('get', '/company/companies').expect(500);
      expect(res.body).toEqual({ code: 'UnexpectedError', message: 'An unexpected error has occurred.' });
    });

    it('counts every call per endpoint with ids normalised, failures included', async () => {
      await cw('get', '/finance/agreements/731/additions').expect(200);
      await cw('get', '/finance/agreements/732/additions').expect(200);
      await cw('patch', '/finance/agreements/731/additions/9801')
        .send([{ op: 'replace', path: 'quantity', value: 2 }])
        .expect(200);
      await cw('get', '/finance/agreements/731/additions', basic('sandbox-public', 'nope')).expect(401);
      await cw('get', '/service/tickets/12').expect(404);
      const stats = (await request(t.url).get('/sandbox/stats').expect(200)).body;
      expect(stats.endpoints).toEqual({
        'connectwise GET /finance/agreements/{id}/additions': 3,
        'connectwise PATCH /finance/agreements/{id}/additions/{id}': 1,
        'connectwise GET /service/tickets/{id}': 1,
      });
      expect(stats.total.connectwise).toBe(5);
    });
  });
});

describe('simulated ConnectWise with 1,200 companies', () => {
  let t: TestApp;
  beforeAll(async () => {
    const world = demoWorld();
    for (let i = 0; i < 1185; i++) {
      world.connectwise.companies.push({
        id: 10000 + i,
        identifier: `Generated${i}`,
        name: `Generated Company ${i}`,
        deletedFlag: false,
        status: 'Active',
      });
    }
    t = await startTestApp({ world });
  });
  afterAll(() => t.close());

  it('serves pageSize above 1000 as 1000', async () => {
    const res = await request(t.url)
      .get(`${API}/company/companies?pageSize=5000&fields=id`)
      .set('clientId', CLIENT_ID)
      .set('Authorization', FULL_KEY)
      .expect(200);
    expect(res.body).toHaveLength(1000);
    expect(res.headers.link).toContain('pageSize=1000&page=2>; rel="next"');
    expect(res.headers.link).toContain('pageSize=1000&page=2>; rel="last"');
    const count = await request(t.url)
      .get(`${API}/company/companies/count`)
      .set('clientId', CLIENT_ID)
      .set('Authorization', FULL_KEY)
      .expect(200);
    expect(count.body).toEqual({ count: 1200 });
  });
});
