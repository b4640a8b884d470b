// The simulated AppRiver, driven with plain HTTP: the sign-in pages, the token endpoint and the resources.
import { startTestApp, TestApp } from '../support/app';
import { signInAtSimulatedAppRiver } from '../../src/sandbox/appriver/ar-sim.signin';

const CLIENT = 'sandbox-client';
const SECRET = 'sandbox-secret';
const REDIRECT = 'https://plugin.example/appriver/oauth/callback';
const CONTOSO = '6513270e-269e-0d37-f2a7-4de452e6b438';
const NORTHWIND = '9531985d-5d9d-c9f8-1818-e811892f902b';
const GDI = '923a7369-94e3-bf91-1a61-dbe22e44158b';
const SLASH_KEY = '500135-O365/EDU-1-graphicdesigninstitute.example';

describe('simulated AppRiver', () => {
  let t: TestApp;
  let ar: string;
  let api: string;
  beforeAll(async () => {
    t = await startTestApp();
    ar = `${t.url}/sandbox/appriver`;
    api = `${ar}/service/api/securecloud`;
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await fetch(`${t.url}/sandbox/faults`, { method: 'DELETE' });
  });

  const authorizeUrl = (params: Record<string, string> = {}) =>
    `${ar}/auth/authorize?${new URLSearchParams({
      response_type: 'code',
      client_id: CLIENT,
      redirect_uri: REDIRECT,
      scope: 'SecureCloud.Platform',
      state: 'xyz-123',
      ...params,
    })}`;

  const form = (url: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(body).toString(),
      redirect: 'manual',
    });
  const basic = (id = CLIENT, secret = SECRET) => ({
    Authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`,
  });
  const tokenRequest = (body: Record<string, string>, headers: Record<string, string> = basic()) =>
    form(`${ar}/auth/token`, body, headers);

  async function code(username = 'billing@acme.example'): Promise<string> {
    const result = await signInAtSimulatedAppRiver({ authorizeUrl: authorizeUrl(), username });
    if (!result.code) throw new Error(`no code: ${result.location}`);
    return result.code;
  }

  async function tokens(username = 'billing@acme.example') {
    const res = await tokenRequest({
      grant_type: 'authorization_code',
      code: await code(username),
      redirect_uri: REDIRECT,
      scope: 'SecureCloud.Platform',
    });
    expect(res.status).toBe(200);
    return (await res.json()) as { access_token: string; refresh_token: string; expires_in: number };
  }

  const get = (path: string, token: string | null) =>
    fetch(`${api}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const setFaults = (faults: unknown) =>
    fetch(`${t.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(faults),
    }).then((r) => expect(r.status).toBe(200));

  describe('authorize pages', () => {
    it('walks choose IDP → sign in (wrong password first) → Continue → redirect with code and state', async () => {
      const start = await fetch(authorizeUrl(), { redirect: 'manual' });
      expect(start.status).toBe(200);
      expect(start.headers.get('set-cookie')).toBeNull();
      expect(start.headers.get('x-frame-options')).toBe('DENY');
      const idpPage = await start.text();
      expect(idpPage).toContain('<h1>Choose an identity provider</h1>');
      expect(idpPage).toMatch(/<button[^>]*value="securecloud"[^>]*>OpenText Secure Cloud IDP<\/button>/);
      expect(idpPage).toMatch(/<button[^>]*disabled[^>]*>Webroot IDP<\/button>/);
      const flow = /name="flow" value="([^"]+)"/.exec(idpPage)![1];

      const signInPage = await (await form(`${ar}/auth/idp`, { flow, idp: 'securecloud' })).text();
      expect(signInPage).toContain('<h1>Sign in</h1>');
      expect(signInPage).toContain('<label for="username">');
      expect(signInPage).toContain('<label for="password">');

      const wrong = await form(`${ar}/auth/signin`, {
        flow,
        username: 'billing@acme.example',
        password: 'nope',
      });
      expect(wrong.status).toBe(200);
      const wrongPage = await wrong.text();
      expect(wrongPage).toContain('role="alert"');
      expect(wrongPage).toContain('The email address or password is incorrect.');

      const consent = await form(`${ar}/auth/signin`, {
        flow,
        username: 'Billing@Acme.example',
        password: 'sandbox',
      });
      const consentPage = await consent.text();
      expect(consentPage).toContain('<h1>Authorize access</h1>');
      expect(consentPage).toContain('>Continue</button>');
      expect(consentPage).toContain('>Cancel</button>');

      const done = await form(`${ar}/auth/consent`, { flow, decision: 'continue' });
      expect(done.status).toBe(302);
      const location = new URL(done.headers.get('location')!);
      expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
      expect(location.searchParams.get('state')).toBe('xyz-123');
      expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{20,}$/);

      // The flow is spent: replaying the form shows an error page instead of a second code.
      const replay = await form(`${ar}/auth/consent`, { flow, decision: 'continue' });
      expect(replay.status).toBe(400);
      expect(await replay.text()).toContain('role="alert"');
    });

    it('shows an error page, and does not redirect, for an unknown client or a bad redirect_uri', async () => {
      const cases: Record<string, string>[] = [
        { client_id: 'nobody' },
        { redirect_uri: '/relative/callback' },
        { redirect_uri: 'ftp://x.example/cb' },
      ];
      for (const params of cases) {
        const res = await fetch(authorizeUrl(params), { redirect: 'manual' });
        expect(res.status).toBe(400);
        expect(res.headers.get('location')).toBeNull();
        expect(await res.text()).toContain('role="alert"');
      }
    });

    it('refuses the wildcard scope with invalid_scope', async () => {
      const res = await fetch(authorizeUrl({ scope: '*' }), { redirect: 'manual' });
      expect(res.status).toBe(302);
      const location = new URL(res.headers.get('location')!);
      expect(location.searchParams.get('error')).toBe('invalid_scope');
      expect(location.searchParams.get('error_description')).toMatch(/wildcard/i);
      expect(location.searchParams.get('state')).toBe('xyz-123');
    });

    it('redirects with unsupported_response_type for anything but code', async () => {
      const res = await fetch(authorizeUrl({ response_type: 'token' }), { redirect: 'manual' });
      expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe(
        'unsupported_response_type',
      );
    });

    it('refuses a user without Customer Portal Administrator with access_denied', async () => {
      const result = await signInAtSimulatedAppRiver({
        authorizeUrl: authorizeUrl(),
        username: 'helpdesk@acme.example',
      });
      expect(result.code).toBeNull();
      expect(result.error).toBe('access_denied');
      expect(result.errorDescription).toContain('Customer Portal Administrator');
      expect(result.state).toBe('xyz-123');
    });

    it('redirects with access_denied when the user cancels', async () => {
      const result = await signInAtSimulatedAppRiver({
        authorizeUrl: authorizeUrl(),
        username: 'billing@acme.example',
        decision: 'cancel',
      });
      expect(result.error).toBe('access_denied');
      expect(result.errorDescription).toBe('The user denied the request');
    });
  });

  describe('token endpoint', () => {
    it('exchanges a code once (Basic client auth) and refuses it the second time', async () => {
      const c = await code();
      const body = {
        grant_type: 'authorization_code',
        code: c,
        redirect_uri: REDIRECT,
        scope: 'SecureCloud.Platform',
      };
      const res = await tokenRequest(body);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const json = await res.json();
      expect(json).toEqual({
        access_token: expect.any(String),
        token_type: 'Bearer',
        expires_in: 300,
        refresh_token: expect.any(String),
        scope: 'SecureCloud.Platform',
      });
      const again = await tokenRequest(body);
      expect(again.status).toBe(400);
      expect((await again.json()).error).toBe('invalid_grant');
    });

    it('takes client credentials in the body too', async () => {
      const res = await tokenRequest(
        {
          grant_type: 'authorization_code',
          code: await code(),
          scope: 'SecureCloud.Platform',
          client_id: CLIENT,
          client_secret: SECRET,
        },
        {},
      );
      expect(res.status).toBe(200);
    });

    it('answers 401 invalid_client for a wrong secret or no client authentication', async () => {
      const body = { grant_type: 'authorization_code', code: await code(), scope: 'SecureCloud.Platform' };
      for (const headers of [basic(CLIENT, 'wrong'), {}]) {
        const res = await tokenRequest(body, headers);
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({
          error: 'invalid_client',
          error_description: 'Client authentication failed',
        });
      }
    });

    it('checks redirect_uri when sent, requires scope, and wants a form body', async () => {
      const mismatch = await tokenRequest({
        grant_type: 'authorization_code',
        code: await code(),
        redirect_uri: 'https://elsewhere.example/cb',
        scope: 'SecureCloud.Platform',
      });
      expect((await mismatch.json()).error).toBe('invalid_grant');
      const noScope = await tokenRequest({ grant_type: 'authorization_code', code: await code() });
      expect(noScope.status).toBe(400);
      expect((await noScope.json()).error).toBe('invalid_request');
      const json = await fetch(`${ar}/auth/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...basic() },
        body: JSON.stringify({
          grant_type: 'authorization_code',
          code: await code(),
          scope: 'SecureCloud.Platform',
        }),
      });
      expect(json.status).toBe(400);
      expect((await json.json()).error).toBe('invalid_request');
    });

    it('rotates the refresh token and refuses the old one with the nested invalid_grant quirk', async () => {
      const first = await tokens();
      const res = await tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        scope: 'SecureCloud.Platform',
      });
      expect(res.status).toBe(200);
      const second = await res.json();
      expect(second.refresh_token).not.toBe(first.refresh_token);
      expect(second.access_token).not.toBe(first.access_token);

      const old = await tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: first.refresh_token,
        scope: 'SecureCloud.Platform',
      });
      expect(old.status).toBe(400);
      expect(await old.text()).toBe(
        '{"error":"invalid_request","error_description":"{\\"error\\":\\"invalid_grant\\"}"}',
      );

      const third = await tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: second.refresh_token,
        scope: 'SecureCloud.Platform',
      });
      expect(third.status).toBe(200);
    });

    it('reads the access-token lifetime from the faults at request time', async () => {
      await setFaults({ appriver: { accessTokenSeconds: 42 } });
      expect((await tokens()).expires_in).toBe(42);
    });
  });

  describe('resources', () => {
    let billing: string;
    let nobilling: string;
    beforeAll(async () => {
      billing = (await tokens()).access_token;
      nobilling = (await tokens('nobilling@acme.example')).access_token;
    });

    it('answers 401 invalid_token without, or with an unknown, bearer token', async () => {
      for (const token of [null, 'not-a-token']) {
        const res = await get('/customers', token);
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual({
          statusCode: 401,
          requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
          error: 'invalid_token',
          error_description: 'Access was denied due to expired token',
          AdditionalInformation: {},
        });
      }
    });

    it('pages customers with Links and Meta, closed ones excluded by default', async () => {
      const first = await (await get('/customers?limit=10&offset=0', billing)).json();
      expect(first.Customers).toHaveLength(10);
      expect(first.Links).toEqual({ NextPageLimit: 10, NextPageOffset: 10 });
      expect(first.Meta).toEqual({ Page: { Total: 14 } });
      const second = await (await get('/customers?limit=10&offset=10', billing)).json();
      expect(second.Customers).toHaveLength(4);
      expect(second.Links).toEqual({});
      const names = [...first.Customers, ...second.Customers].map((c: { Name: string }) => c.Name);
      expect(names).not.toContain('Old Closed Co');
      expect(new Set(names).size).toBe(14);

      const all = await (await get('/customers?includeClosedCustomers=true', billing)).json();
      expect(all.Customers).toHaveLength(15);
      expect(all.Meta.Page.Total).toBe(15);
      expect(all.Links).toEqual({});
      const contoso = all.Customers[0];
      expect(contoso).toMatchObject({
        CustomerId: CONTOSO,
        CustomerNumber: '500123',
        Name: 'Contoso Dental Group',
        CustomerType: 'Resold',
        IsClosed: false,
        Currency: 'USD',
        ExternalCustomerAccountNumber: 'ContosoDental',
        Website: 'contosodental.example',
        CustomerSince: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      });
      expect(contoso).not.toHaveProperty('subscriptions');
      expect(contoso).not.toHaveProperty('Subscriptions');
    });

    it('refuses a limit outside 10..1000 and malformed paging', async () => {
      for (const q of [
        'limit=5',
        'limit=1',
        'limit=1001',
        'limit=abc',
        'offset=-1',
        'includeClosedCustomers=maybe',
      ]) {
        const res = await get(`/customers?${q}`, billing);
        expect(res.status).toBe(400);
        expect(await res.json()).toEqual({ Message: 'The request is invalid.' });
      }
    });

    it('serves one customer, and the 404 envelope for an unknown one', async () => {
      expect((await (await get(`/customers/${CONTOSO}`, billing)).json()).Name).toBe('Contoso Dental Group');
      const missing = await get('/customers/00000000-0000-0000-0000-000000000000', billing);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toMatchObject({
        statusCode: 404,
        error: 'not_found',
        error_description: 'Customer not found',
      });
    });

    it('lists subscriptions enveloped, or bare when the fault switch says so', async () => {
      const enveloped = await (await get(`/customers/${CONTOSO}/subscriptions`, billing)).json();
      expect(enveloped.Subscriptions).toHaveLength(3);
      expect(enveloped.Subscriptions[0]).toEqual({
        SubscriptionKey: '500123-O365-1-contosodental.example',
        ProductName: 'Microsoft 365 Business Premium',
        SubscriptionStatus: 'Active',
        IsTrial: false,
        SubscriptionTerm: 'Annual',
        BillingFrequency: 'Monthly',
      });
      await setFaults({ appriver: { subscriptionsAsBareArray: true } });
      const bare = await (await get(`/customers/${CONTOSO}/subscriptions`, billing)).json();
      expect(bare).toEqual(enveloped.Subscriptions);
    });

    it('refuses a Referred customer with 403 access_denied', async () => {
      const res = await get(`/customers/${NORTHWIND}/subscriptions`, billing);
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({
        statusCode: 403,
        requestId: expect.any(String),
        error: 'access_denied',
        error_description:
          "Access was denied to this customer's subscriptions: the customer is referred, not resold.",
        AdditionalInformation: {},
      });
    });

    it('refuses a user without the Billing role on subscriptions, detail and usage, but not on customers', async () => {
      expect((await get('/customers', nobilling)).status).toBe(200);
      const key = encodeURIComponent('500123-O365-1-contosodental.example');
      const calls = [
        get(`/customers/${CONTOSO}/subscriptions`, nobilling),
        get(`/customers/${CONTOSO}/subscriptions/${key}`, nobilling),
        fetch(`${api}/usage/charges`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${nobilling}`, 'Content-Type': 'application/json' },
          body: '{}',
        }),
      ];
      for (const res of await Promise.all(calls)) {
        expect(res.status).toBe(403);
        expect((await res.json()).error_description).toBe(
          'Access was denied because the user does not have the Billing role.',
        );
      }
      const charges = await fetch(`${api}/usage/charges`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${billing}`, 'Content-Type': 'application/json' },
        body: '{}',
      });
      expect(await charges.json()).toEqual({ Attributes: [] });
    });

    it('serves the detail with quantities as strings and absent fields absent', async () => {
      const res = await get(
        `/customers/${CONTOSO}/subscriptions/${encodeURIComponent('500123-O365-1-contosodental.example')}`,
        billing,
      );
      const detail = await res.json();
      expect(detail).toMatchObject({
        SubscriptionKey: '500123-O365-1-contosodental.example',
        ProductName: 'Microsoft 365 Business Premium',
        Categories: ['Microsoft 365'],
        Domain: 'contosodental.example',
        IsTrial: false,
        SubscriptionTerm: 'Annual',
        BillingFrequency: 'Monthly',
        ExpirationBehavior: 'AutoRenew',
        SubscriptionStatus: 'Active',
        ConfigurableSubscriptionDetails: [{ Name: 'SubscriptionQuantity', Value: '21' }],
      });
      expect(Date.parse(detail.StartDate)).toBeLessThan(Date.now());
      expect(Date.parse(detail.ExpirationDate)).toBeGreaterThan(Date.now());
      expect(detail.ReadonlySubscriptionDetails).toEqual(
        expect.arrayContaining([
          { Name: 'TotalLicenses', Value: '21' },
          { Name: 'AssignedLicenses', Value: '19' },
        ]),
      );
      const etp = await (
        await get(`/customers/${CONTOSO}/subscriptions/500123-ETP-1-contosodental.example`, billing)
      ).json();
      const names = etp.ReadonlySubscriptionDetails.map((d: { Name: string }) => d.Name);
      expect(names).toContain('TotalLicenses');
      expect(names).not.toContain('AssignedLicenses');
    });

    it('takes a key containing / percent-encoded or Base64-encoded, and 404s it unencoded', async () => {
      const encoded = await get(`/customers/${GDI}/subscriptions/${encodeURIComponent(SLASH_KEY)}`, billing);
      expect(encoded.status).toBe(200);
      expect((await encoded.json()).SubscriptionKey).toBe(SLASH_KEY);
      const b64 = Buffer.from(SLASH_KEY).toString('base64');
      const viaBase64 = await get(`/customers/${GDI}/subscriptions/${encodeURIComponent(b64)}`, billing);
      expect(viaBase64.status).toBe(200);
      expect((await viaBase64.json()).SubscriptionKey).toBe(SLASH_KEY);
      const raw = await get(`/customers/${GDI}/subscriptions/${SLASH_KEY}`, billing);
      expect(raw.status).toBe(404);
      const unknown = await get(`/customers/${GDI}/subscriptions/nope`, billing);
      expect(unknown.status).toBe(404);
      expect((await unknown.json()).error).toBe('not_found');
    });

    it('injects 429 with Retry-After, 503, empty and HTML bodies', async () => {
      await setFaults({ appriver: { rateLimitEvery: 1, retryAfterSeconds: 7 } });
      const limited = await get('/customers', billing);
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('7');
      expect((await limited.json()).statusCode).toBe(429);
      await setFaults({ appriver: { rateLimitEvery: 0, serverErrorEvery: 1 } });
      const unavailable = await get('/customers', billing);
      expect(unavailable.status).toBe(503);
      expect((await unavailable.json()).error).toBe('service_unavailable');
      await setFaults({ appriver: { serverErrorEvery: 0 }, appriverEmptyBodies: 1, appriverHtmlBodies: 1 });
      const empty = await get('/customers', billing);
      expect(empty.status).toBe(200);
      expect(await empty.text()).toBe('');
      const html = await get('/customers', billing);
      expect(html.status).toBe(502);
      expect(html.headers.get('content-type')).toMatch(/text\/html/);
      expect(await html.text()).toContain('<h1>502 Bad Gateway</h1>');
      expect((await get('/customers', billing)).status).toBe(200);
    });

    it('counts calls per normalised endpoint', async () => {
      await fetch(`${t.url}/sandbox/stats`, { method: 'DELETE' });
      await get(`/customers/${CONTOSO}/subscriptions/500123-O365-1-contosodental.example`, billing);
      await get(`/customers/${GDI}/subscriptions/${encodeURIComponent(SLASH_KEY)}`, billing);
      await get(`/customers/${CONTOSO}/subscriptions`, billing);
      await get('/customers?limit=10', billing);
      const stats = await (await fetch(`${t.url}/sandbox/stats`)).json();
      expect(stats.endpoints).toEqual({
        'appriver GET /customers': 1,
        'appriver GET /customers/{id}/subscriptions': 1,
        'appriver GET /customers/{id}/subscriptions/{key}': 2,
      });
      expect(stats.total.appriver).toBe(4);
    });
  });

  describe('sandbox controls', () => {
    it('expire-access-tokens: access tokens stop working, refresh still works', async () => {
      const pair = await tokens();
      expect((await get('/customers', pair.access_token)).status).toBe(200);
      expect((await form(`${ar}/expire-access-tokens`, {})).status).toBe(200);
      expect((await get('/customers', pair.access_token)).status).toBe(401);
      const refreshed = await tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: pair.refresh_token,
        scope: 'SecureCloud.Platform',
      });
      const fresh = await refreshed.json();
      expect((await get('/customers', fresh.access_token)).status).toBe(200);
    });

    it('revoke: access and refresh tokens stop working', async () => {
      const pair = await tokens();
      expect((await form(`${ar}/revoke`, {})).status).toBe(200);
      expect((await get('/customers', pair.access_token)).status).toBe(401);
      const refreshed = await tokenRequest({
        grant_type: 'refresh_token',
        refresh_token: pair.refresh_token,
        scope: 'SecureCloud.Platform',
      });
      expect(refreshed.status).toBe(400);
      expect(JSON.parse((await refreshed.json()).error_description)).toEqual({ error: 'invalid_grant' });
    });
  });
});
