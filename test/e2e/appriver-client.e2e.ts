// The AppRiver clients over real HTTP: against the simulator (sign-in, tokens, resources, faults), and against a
// tiny local server for answers the simulator never gives (odd shapes, broken paging, proxies).
import * as http from 'node:http';
import { AddressInfo } from 'node:net';
import { AppRiverClient, AppRiverClientOptions } from '../../src/appriver/appriver.client';
import { AppRiverError } from '../../src/appriver/appriver.errors';
import { AppRiverOAuthClient } from '../../src/appriver/appriver-oauth.client';
import { appRiverEndpoints } from '../../src/appriver/appriver-endpoints';
import type { ArTokenSet } from '../../src/appriver/appriver.types';
import { AppConfig, loadConfig } from '../../src/config/config';
import { signInAtSimulatedAppRiver } from '../../src/sandbox/appriver/ar-sim.signin';
import { SandboxHost } from '../../src/sandbox/sandbox-host';
import { startTestApp, TestApp } from '../support/app';

const CLIENT = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };
const REDIRECT = 'http://localhost:3000/appriver/oauth/callback';
const CONTOSO = '6513270e-269e-0d37-f2a7-4de452e6b438';
const NORTHWIND = '9531985d-5d9d-c9f8-1818-e811892f902b';
const GDI = '923a7369-94e3-bf91-1a61-dbe22e44158b';
const SLASH_KEY = '500135-O365/EDU-1-graphicdesigninstitute.example';
const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 20, maxTotalMs: 5000 };

/** Runs `fn`, expecting an AppRiverError, and returns it. */
async function failure(fn: () => Promise<unknown>): Promise<AppRiverError> {
  try {
    await fn();
  } catch (error) {
    if (error instanceof AppRiverError) return error;
    throw error;
  }
  throw new Error('expected an AppRiverError');
}

describe('AppRiver clients against the simulator', () => {
  let t: TestApp;
  let endpoints: AppConfig['appriver'];
  let oauth: AppRiverOAuthClient;

  beforeAll(async () => {
    t = await startTestApp();
    endpoints = appRiverEndpoints(t.config, t.app.get(SandboxHost));
    oauth = new AppRiverOAuthClient(endpoints);
  });
  afterAll(() => t.close());
  afterEach(async () => {
    await fetch(`${t.url}/sandbox/faults`, { method: 'DELETE' });
  });

  const setFaults = async (faults: unknown) => {
    const res = await fetch(`${t.url}/sandbox/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(faults),
    });
    expect(res.status).toBe(200);
  };

  /** With `xxxEvery: 2`, makes the next AppRiver request the one that fails (requests are counted per system). */
  const failNextAppRiverRequest = async (faults: { rateLimitEvery?: number; serverErrorEvery?: number }) => {
    await setFaults({ appriver: faults });
    const probe = () => fetch(`${endpoints.apiBaseUrl}/customers`).then((r) => r.status);
    if ((await probe()) !== 401) expect(await probe()).toBe(401);
  };

  /** Drives the simulated sign-in with plain HTTP and returns the authorization code. */
  async function authorizeCode(username: string, client = oauth): Promise<string> {
    const result = await signInAtSimulatedAppRiver({
      authorizeUrl: client.authorizeUrl({ clientId: CLIENT.clientId, redirectUri: REDIRECT, state: 'st-1' }),
      username,
    });
    expect(result.state).toBe('st-1');
    if (!result.code) throw new Error(`sign-in failed: ${result.error} ${result.errorDescription}`);
    return result.code;
  }

  const connect = async (username = 'billing@acme.example') =>
    oauth.exchangeCode({ ...CLIENT, code: await authorizeCode(username), redirectUri: REDIRECT });

  /** A client wired like the product wires it: tokens held by the caller, a forced refresh on 401. */
  function session(tokens: ArTokenSet, options: Partial<AppRiverClientOptions> = {}) {
    const state = { tokens, refreshes: 0 };
    const client = new AppRiverClient({
      apiBaseUrl: endpoints.apiBaseUrl,
      pageSize: 10,
      concurrency: 2,
      getAccessToken: async () => state.tokens.accessToken,
      onUnauthorized: async () => {
        state.refreshes++;
        state.tokens = await oauth.refresh({ ...CLIENT, refreshToken: state.tokens.refreshToken });
        return state.tokens.accessToken;
      },
      retry: FAST_RETRY,
      ...options,
    });
    return { state, client };
  }

  describe('endpoints', () => {
    it('points the real default URLs at the simulator in sandbox mode only', () => {
      const host = t.app.get(SandboxHost).url;
      expect(endpoints.authBaseUrl).toBe(`${host}/sandbox/appriver`);
      expect(endpoints.apiBaseUrl).toBe(`${host}/sandbox/appriver/service/api/securecloud`);
      const live = loadConfig({
        PUBLIC_URL: 'https://plugin.example',
        CW_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
        APP_ENCRYPTION_KEY: 'a'.repeat(64),
      });
      expect(appRiverEndpoints(live, { url: host })).toEqual(live.appriver);
      expect(live.appriver.apiBaseUrl).toBe('https://unityapi.webrootcloudav.com/service/api/securecloud');
      const overridden = loadConfig({ SANDBOX: '1', APPRIVER_AUTH_BASE_URL: 'https://beta.example' });
      expect(appRiverEndpoints(overridden, { url: host }).authBaseUrl).toBe('https://beta.example');
      expect(appRiverEndpoints(overridden, { url: host }).apiBaseUrl).toBe(
        'https://beta.example/service/api/securecloud',
      );
    });
  });

  describe('AppRiverOAuthClient', () => {
    it('builds the authorize URL with response_type=code and the configured scope', () => {
      const url = new URL(oauth.authorizeUrl({ clientId: 'c1', redirectUri: REDIRECT, state: 's' }));
      expect(url.pathname).toBe('/sandbox/appriver/auth/authorize');
      expect(Object.fromEntries(url.searchParams)).toEqual({
        response_type: 'code',
        client_id: 'c1',
        redirect_uri: REDIRECT,
        scope: 'SecureCloud.Platform',
        state: 's',
      });
    });

    it('exchanges a code and refreshes with rotation; the old refresh token then reads as invalid_grant', async () => {
      const first = await connect();
      expect(first.scope).toBe('SecureCloud.Platform');
      expect(first.expiresAt.getTime()).toBeGreaterThan(Date.now() + 290_000);
      expect(first.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 300_000);
      const second = await oauth.refresh({ ...CLIENT, refreshToken: first.refreshToken });
      expect(second.refreshToken).not.toBe(first.refreshToken);
      expect(second.accessToken).not.toBe(first.accessToken);

      const error = await failure(() => oauth.refresh({ ...CLIENT, refreshToken: first.refreshToken }));
      expect(error.kind).toBe('invalid_grant');
      expect(error.status).toBe(400);
      expect(error.needsReconnect).toBe(true);
      expect(error.message).toMatch(/Reconnect AppRiver/);
      expect(error.message).not.toContain(first.refreshToken);
      expect(oauth.counters.refresh).toBeGreaterThanOrEqual(2);
    });

    it('authenticates in the body when configured so', async () => {
      const bodyAuth = new AppRiverOAuthClient({ ...endpoints, clientAuth: 'body' });
      const tokens = await bodyAuth.exchangeCode({
        ...CLIENT,
        code: await authorizeCode('billing@acme.example', bodyAuth),
        redirectUri: REDIRECT,
      });
      await expect(bodyAuth.refresh({ ...CLIENT, refreshToken: tokens.refreshToken })).resolves.toMatchObject(
        { scope: 'SecureCloud.Platform' },
      );
    });

    it('reports a wrong secret as invalid_client and a spent code as invalid_grant, without leaking either', async () => {
      const code = await authorizeCode('billing@acme.example');
      const wrong = await failure(() =>
        oauth.exchangeCode({
          clientId: CLIENT.clientId,
          clientSecret: 'not-the-secret',
          code,
          redirectUri: REDIRECT,
        }),
      );
      expect(wrong.kind).toBe('invalid_client');
      expect(wrong.status).toBe(401);
      expect(wrong.message).not.toContain('not-the-secret');
      await oauth.exchangeCode({ ...CLIENT, code, redirectUri: REDIRECT });
      const spent = await failure(() => oauth.exchangeCode({ ...CLIENT, code, redirectUri: REDIRECT }));
      expect(spent.kind).toBe('invalid_grant');
      expect(spent.message).not.toContain(code);
    });

    it('retries the token call on a 503', async () => {
      const code = await authorizeCode('billing@acme.example');
      const counting = new AppRiverOAuthClient(endpoints, { retry: FAST_RETRY });
      await failNextAppRiverRequest({ serverErrorEvery: 2 });
      await expect(counting.exchangeCode({ ...CLIENT, code, redirectUri: REDIRECT })).resolves.toHaveProperty(
        'accessToken',
      );
      expect(counting.counters.exchangeCode).toBe(2);
    });
  });

  describe('AppRiverClient', () => {
    let tokens: ArTokenSet;
    beforeAll(async () => (tokens = await connect()));

    it('lists every customer over two pages of 10, closed ones only when asked', async () => {
      const { client } = session(tokens);
      const customers = await client.listCustomers();
      expect(customers).toHaveLength(14);
      expect(client.counters.listCustomers).toBe(2);
      expect(customers.map((c) => c.name)).not.toContain('Old Closed Co');
      expect(customers[0]).toEqual({
        customerId: CONTOSO,
        customerNumber: '500123',
        name: 'Contoso Dental Group',
        customerType: 'Resold',
        isClosed: false,
        externalAccountNumber: 'ContosoDental',
        website: 'contosodental.example',
      });
      expect(customers.find((c) => c.name === 'Fabrikam Legal LLP')!.externalAccountNumber).toBeNull();
      await expect(client.listCustomers({ includeClosed: true })).resolves.toHaveLength(15);
    });

    it('clamps the page size into 10..1000', async () => {
      const small = session(tokens, { pageSize: 5 }).client;
      await expect(small.listCustomers()).resolves.toHaveLength(14);
      expect(small.counters.listCustomers).toBe(2);
      const big = session(tokens, { pageSize: 5000 }).client;
      await expect(big.listCustomers()).resolves.toHaveLength(14);
      expect(big.counters.listCustomers).toBe(1);
    });

    it('lists subscriptions enveloped and bare', async () => {
      const { client } = session(tokens);
      const enveloped = await client.listSubscriptions(CONTOSO);
      expect(enveloped).toHaveLength(3);
      expect(enveloped[0]).toEqual({
        subscriptionKey: '500123-O365-1-contosodental.example',
        productName: 'Microsoft 365 Business Premium',
        status: 'Active',
        isTrial: false,
        term: 'Annual',
        frequency: 'Monthly',
      });
      await setFaults({ appriver: { subscriptionsAsBareArray: true } });
      await expect(client.listSubscriptions(CONTOSO)).resolves.toEqual(enveloped);
    });

    it('reads a subscription detail: quantities parsed to numbers, absent ones null, a key with / encoded', async () => {
      const { client } = session(tokens);
      await expect(
        client.getSubscription(CONTOSO, '500123-O365-1-contosodental.example'),
      ).resolves.toMatchObject({
        subscriptionKey: '500123-O365-1-contosodental.example',
        productName: 'Microsoft 365 Business Premium',
        term: 'Annual',
        frequency: 'Monthly',
        status: 'Active',
        isTrial: false,
        quantity: 21,
        totalLicenses: 21,
        assignedLicenses: 19,
        unassignedLicenses: 2,
        domain: 'contosodental.example',
      });
      const etp = await client.getSubscription(CONTOSO, '500123-ETP-1-contosodental.example');
      expect(etp).toMatchObject({
        quantity: 25,
        totalLicenses: 25,
        assignedLicenses: null,
        unassignedLicenses: null,
      });
      const slash = await client.getSubscription(GDI, SLASH_KEY);
      expect(slash).toMatchObject({ subscriptionKey: SLASH_KEY, quantity: 7 });
      expect(client.counters.getSubscription).toBe(3);
    });

    it('waits out a 429 (Retry-After: 1) and succeeds, the extra attempt counted', async () => {
      const { client } = session(tokens);
      await failNextAppRiverRequest({ rateLimitEvery: 2 });
      const started = Date.now();
      await expect(client.listSubscriptions(CONTOSO)).resolves.toHaveLength(3);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(client.counters.listSubscriptions).toBe(2);
    });

    it('gives up at once when Retry-After does not fit the time budget', async () => {
      const { client } = session(tokens, { retry: { ...FAST_RETRY, maxTotalMs: 2000 } });
      await setFaults({ appriver: { rateLimitEvery: 1, retryAfterSeconds: 30 } });
      const error = await failure(() => client.listSubscriptions(CONTOSO));
      expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 30_000 });
      expect(client.counters.listSubscriptions).toBe(1);
    });

    it('retries a 503 and succeeds; a lasting 503 stops after the configured attempts', async () => {
      const { client } = session(tokens, { retry: { ...FAST_RETRY, attempts: 3 } });
      await failNextAppRiverRequest({ serverErrorEvery: 2 });
      await expect(client.listSubscriptions(CONTOSO)).resolves.toHaveLength(3);
      expect(client.counters.listSubscriptions).toBe(2);

      await setFaults({ appriver: { serverErrorEvery: 1 } });
      const error = await failure(() =>
        client.getSubscription(CONTOSO, '500123-O365-1-contosodental.example'),
      );
      expect(error).toMatchObject({ kind: 'server', status: 503 });
      expect(client.counters.getSubscription).toBe(3);
    });

    it('retries HTML 502 pages from a proxy', async () => {
      const { client } = session(tokens);
      await setFaults({ appriverHtmlBodies: 2 });
      await expect(client.listSubscriptions(CONTOSO)).resolves.toHaveLength(3);
      expect(client.counters.listSubscriptions).toBe(3);
    });

    it('never reads an empty 200 as "no subscriptions": one retry, then bad_body', async () => {
      const { client } = session(tokens);
      await setFaults({ appriverEmptyBodies: 1 });
      await expect(client.listSubscriptions(CONTOSO)).resolves.toHaveLength(3);
      expect(client.counters.listSubscriptions).toBe(2);

      await setFaults({ appriverEmptyBodies: 3 });
      const error = await failure(() => client.listSubscriptions(CONTOSO));
      expect(error).toMatchObject({ kind: 'bad_body', status: 200 });
      expect(error.message).toMatch(/empty/);
      expect(client.counters.listSubscriptions).toBe(4);
    });

    it('renews an expired access token once through onUnauthorized and carries on', async () => {
      const { client, state } = session(await connect());
      await fetch(`${endpoints.authBaseUrl}/expire-access-tokens`, { method: 'POST' });
      await expect(client.listSubscriptions(CONTOSO)).resolves.toHaveLength(3);
      expect(state.refreshes).toBe(1);
      expect(client.counters.listSubscriptions).toBe(2);
    });

    it('renews only once when concurrent calls all get 401', async () => {
      const { client, state } = session(await connect());
      await fetch(`${endpoints.authBaseUrl}/expire-access-tokens`, { method: 'POST' });
      const keys = [
        '500123-O365-1-contosodental.example',
        '500123-ETP-1-contosodental.example',
        '500123-ARCH-1-contosodental.example',
      ];
      const details = await Promise.all(keys.map((k) => client.getSubscription(CONTOSO, k)));
      expect(details.map((d) => d.quantity)).toEqual([21, 25, 25]);
      expect(state.refreshes).toBe(1);
    });

    it('surfaces invalid_grant when the refresh token was revoked mid-sync', async () => {
      const { client, state } = session(await connect());
      await expect(client.listCustomers()).resolves.toHaveLength(14);
      await fetch(`${endpoints.authBaseUrl}/revoke`, { method: 'POST' });
      const error = await failure(() => client.listSubscriptions(CONTOSO));
      expect(error.kind).toBe('invalid_grant');
      expect(error.needsReconnect).toBe(true);
      expect(state.refreshes).toBe(1);
      tokens = await connect();
    });

    it('reports a 401 as unauthorized when there is no way to renew', async () => {
      const client = new AppRiverClient({
        apiBaseUrl: endpoints.apiBaseUrl,
        pageSize: 10,
        concurrency: 1,
        getAccessToken: async () => 'expired-or-unknown',
      });
      const error = await failure(() => client.listCustomers());
      expect(error).toMatchObject({ kind: 'unauthorized', status: 401 });
      expect(error.message).not.toContain('expired-or-unknown');
      expect(client.counters.listCustomers).toBe(1);
    });

    it('types the 403s: referred customer and missing Billing role, without retrying', async () => {
      const { client } = session(tokens);
      const referred = await failure(() => client.listSubscriptions(NORTHWIND));
      expect(referred).toMatchObject({ kind: 'forbidden_referred', status: 403 });
      expect(client.counters.listSubscriptions).toBe(1);

      const nobilling = session(await connect('nobilling@acme.example')).client;
      await expect(nobilling.listCustomers()).resolves.toHaveLength(14);
      const list = await failure(() => nobilling.listSubscriptions(CONTOSO));
      expect(list.kind).toBe('forbidden_billing_role');
      expect(list.message).toMatch(/Billing role/);
      const detail = await failure(() =>
        nobilling.getSubscription(CONTOSO, '500123-O365-1-contosodental.example'),
      );
      expect(detail.kind).toBe('forbidden_billing_role');
      expect(nobilling.counters.getSubscription).toBe(1);
    });

    it('reports an unknown customer as not_found without retrying', async () => {
      const { client } = session(tokens);
      const error = await failure(() => client.listSubscriptions('00000000-0000-0000-0000-000000000000'));
      expect(error).toMatchObject({ kind: 'not_found', status: 404, operation: 'listSubscriptions' });
      expect(client.counters.listSubscriptions).toBe(1);
    });
  });
});

describe('AppRiver clients against odd answers', () => {
  type Handler = (
    req: http.IncomingMessage,
    url: URL,
    body: string,
  ) => { status?: number; body?: unknown; raw?: string; headers?: Record<string, string> };
  let server: http.Server;
  let base: string;
  let handler: Handler;
  let inFlight = 0;
  let peak = 0;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const url = new URL(req.url!, 'http://stub');
        const reply = handler(req, url, body);
        setTimeout(() => {
          inFlight--;
          res.writeHead(reply.status ?? 200, { 'Content-Type': 'application/json', ...reply.headers });
          res.end(reply.raw ?? JSON.stringify(reply.body));
        }, 5);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const client = (options: Partial<AppRiverClientOptions> = {}) =>
    new AppRiverClient({
      apiBaseUrl: `${base}/api`,
      pageSize: 10,
      concurrency: 2,
      getAccessToken: async () => 'token',
      retry: FAST_RETRY,
      ...options,
    });
  const customers = (from: number, n: number) =>
    Array.from({ length: n }, (_, i) => ({ CustomerId: `c-${from + i}`, Name: `Customer ${from + i}` }));

  it('accepts [] and {"Subscriptions":[]} as none, and refuses {}, null and a non-list', async () => {
    for (const body of [[], { Subscriptions: [] }]) {
      handler = () => ({ body });
      await expect(client().listSubscriptions('c-1')).resolves.toEqual([]);
    }
    for (const raw of [
      '{}',
      'null',
      '{"Subscriptions":{}}',
      '"nothing"',
      '<html>oops</html>',
      '{"Subscriptions":[{"ProductName":"x"}]}',
    ]) {
      handler = () => ({ raw });
      const c = client();
      const error = await failure(() => c.listSubscriptions('c-1'));
      expect(error.kind).toBe('bad_body');
      expect(c.counters.listSubscriptions).toBe(2);
    }
  });

  it('stops paging on a short page when there are no Links, and at Meta.Page.Total', async () => {
    handler = (_req, url) => {
      const offset = Number(url.searchParams.get('offset'));
      return { body: { Customers: customers(offset, offset === 0 ? 10 : 3) } };
    };
    await expect(client().listCustomers()).resolves.toHaveLength(13);
    handler = (_req, url) => {
      const offset = Number(url.searchParams.get('offset'));
      return {
        body: {
          Customers: customers(offset, 10),
          Links: { NextPageLimit: 10, NextPageOffset: offset + 10 },
          Meta: { Page: { Total: 20 } },
        },
      };
    };
    const c = client();
    await expect(c.listCustomers()).resolves.toHaveLength(20);
    expect(c.counters.listCustomers).toBe(2);
  });

  it('refuses an offset that does not advance, and a server that ignores the offset', async () => {
    handler = () => ({
      body: {
        Customers: customers(0, 10),
        Links: { NextPageLimit: 10, NextPageOffset: 0 },
        Meta: { Page: { Total: 50 } },
      },
    });
    const stuck = await failure(() => client().listCustomers());
    expect(stuck.kind).toBe('bad_body');
    expect(stuck.message).toMatch(/does not advance/);
    handler = (_req, url) => {
      const offset = Number(url.searchParams.get('offset'));
      return {
        body: {
          Customers: customers(0, 10),
          Links: { NextPageLimit: 10, NextPageOffset: offset + 10 },
          Meta: { Page: { Total: 50 } },
        },
      };
    };
    const c = client();
    const repeated = await failure(() => c.listCustomers());
    expect(repeated.kind).toBe('bad_body');
    expect(c.counters.listCustomers).toBe(2);
  });

  it('tolerates camelCase and a wrapped detail; a quantity that is not a number is bad_body', async () => {
    handler = () => ({
      body: {
        Subscriptions: [
          {
            subscriptionKey: 'k-1',
            productName: 'Email Archiving',
            subscriptionStatus: 'Active',
            isTrial: 'false',
            configurableSubscriptionDetails: [{ name: 'SubscriptionQuantity', value: ' 12 ' }],
            readonlySubscriptionDetails: [
              { name: 'TotalLicenses', value: 12 },
              { name: 'AssignedLicenses', value: null },
            ],
          },
        ],
      },
    });
    await expect(client().getSubscription('c-1', 'k-1')).resolves.toMatchObject({
      subscriptionKey: 'k-1',
      productName: 'Email Archiving',
      isTrial: false,
      quantity: 12,
      totalLicenses: 12,
      assignedLicenses: null,
    });
    handler = () => ({
      body: {
        ProductName: 'x',
        ConfigurableSubscriptionDetails: [{ Name: 'SubscriptionQuantity', Value: 'lots' }],
      },
    });
    expect((await failure(() => client().getSubscription('c-1', 'k-1'))).kind).toBe('bad_body');
  });

  it('falls back to the Base64 key when a proxy refuses an encoded /', async () => {
    const seen: string[] = [];
    handler = (req) => {
      seen.push(req.url!);
      if (req.url!.includes('%2F'))
        return { status: 404, body: { statusCode: 404, error: 'not_found', error_description: 'Not found' } };
      return {
        body: {
          SubscriptionKey: SLASH_KEY,
          ProductName: 'M365',
          ConfigurableSubscriptionDetails: [{ Name: 'SubscriptionQuantity', Value: '7' }],
        },
      };
    };
    const c = client();
    await expect(c.getSubscription('c-1', SLASH_KEY)).resolves.toMatchObject({ quantity: 7 });
    expect(seen).toEqual([
      `/api/customers/c-1/subscriptions/${encodeURIComponent(SLASH_KEY)}`,
      `/api/customers/c-1/subscriptions/${encodeURIComponent(Buffer.from(SLASH_KEY).toString('base64'))}`,
    ]);
    expect(c.counters.getSubscription).toBe(2);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    handler = () => ({ body: { Subscriptions: [] } });
    peak = 0;
    const c = client({ concurrency: 2 });
    await Promise.all(Array.from({ length: 8 }, (_, i) => c.listSubscriptions(`c-${i}`)));
    expect(peak).toBe(2);
  });

  it('reads a network failure as network and retries it', async () => {
    const dead = new AppRiverClient({
      apiBaseUrl: 'http://127.0.0.1:9/api',
      pageSize: 10,
      concurrency: 1,
      getAccessToken: async () => 'token',
      retry: { ...FAST_RETRY, attempts: 2 },
    });
    const error = await failure(() => dead.listCustomers());
    expect(error).toMatchObject({ kind: 'network', status: null });
    expect(dead.counters.listCustomers).toBe(2);
  });

  describe('token endpoint', () => {
    const oauthAt = () =>
      new AppRiverOAuthClient(
        {
          authBaseUrl: base,
          authorizePath: '/auth/authorize',
          tokenPath: '/auth/token',
          scope: 'SecureCloud.Platform',
          clientAuth: 'basic',
        },
        { retry: FAST_RETRY },
      );

    it('sends Basic auth and the scope, takes a string expires_in, and keeps the refresh token when none comes back', async () => {
      let form: URLSearchParams | null = null;
      let authorization: string | undefined;
      handler = (req, _url, body) => {
        form = new URLSearchParams(body);
        authorization = req.headers.authorization;
        return { body: { access_token: 'a2', token_type: 'Bearer', expires_in: '120' } };
      };
      const tokens = await oauthAt().refresh({ clientId: 'id', clientSecret: 'secret', refreshToken: 'r1' });
      expect(Object.fromEntries(form!)).toEqual({
        grant_type: 'refresh_token',
        refresh_token: 'r1',
        scope: 'SecureCloud.Platform',
      });
      expect(authorization).toBe(`Basic ${Buffer.from('id:secret').toString('base64')}`);
      expect(tokens.refreshToken).toBe('r1');
      expect(tokens.accessToken).toBe('a2');
      expect(Math.round((tokens.expiresAt.getTime() - Date.now()) / 1000)).toBe(120);
    });

    it('recognises invalid_grant at the top level and invalid_client nested', async () => {
      handler = () => ({ status: 400, body: { error: 'invalid_grant', error_description: 'expired' } });
      expect(
        (await failure(() => oauthAt().refresh({ clientId: 'id', clientSecret: 's', refreshToken: 'r' })))
          .kind,
      ).toBe('invalid_grant');
      handler = () => ({
        status: 400,
        body: { error: 'invalid_request', error_description: '{"error":"invalid_client"}' },
      });
      expect(
        (await failure(() => oauthAt().refresh({ clientId: 'id', clientSecret: 's', refreshToken: 'r' })))
          .kind,
      ).toBe('invalid_client');
    });

    it('does not retry an empty 200 from the token endpoint (the refresh token may already be spent)', async () => {
      handler = () => ({ raw: '' });
      const client = oauthAt();
      const error = await failure(() =>
        client.refresh({ clientId: 'id', clientSecret: 's', refreshToken: 'r' }),
      );
      expect(error.kind).toBe('bad_body');
      expect(client.counters.refresh).toBe(1);
    });
  });
});
