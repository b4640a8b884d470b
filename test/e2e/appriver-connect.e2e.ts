import request from 'supertest';
import { DataSource, IsNull, Not } from 'typeorm';
import { AppRiverConnection } from '../../src/appriver/appriver-connection.entity';
import { startTestApp, TestApp } from '../support/app';
import { signInAtAppRiver } from '../support/appriver';
import { installDemo, signIn } from '../support/flows';

describe('connecting AppRiver (OAuth through Secure Cloud IDP) and importing', () => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    await installDemo(t.url);
    auth = await signIn(t.url);
  });
  afterAll(() => t.close());

  const api = () => request(t.url);
  const status = async () =>
    (await api().get('/api/appriver/status').set('Authorization', auth).expect(200)).body;
  const saveCredentials = (clientSecret = 'sandbox-secret') =>
    api()
      .put('/api/appriver/credentials')
      .set('Authorization', auth)
      .send({ clientId: 'sandbox-client', clientSecret })
      .expect(200);
  const authorize = async () =>
    (await api().post('/api/appriver/authorize').set('Authorization', auth).expect(200)).body.url as string;
  const followCallback = (location: string) => request(location).get('');
  async function untilStatus(wanted: string[], tries = 100) {
    for (let i = 0; i < tries; i++) {
      const s = await status();
      if (wanted.includes(s.status)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`status never became ${wanted}: ${JSON.stringify(await status())}`);
  }
  const db = () => t.app.get(DataSource);
  const expireAccessToken = () =>
    db()
      .getRepository(AppRiverConnection)
      .update({ status: Not(IsNull()) }, { accessTokenExpiresAt: new Date(Date.now() - 1000) });

  it('starts not connected and never sends the secret back', async () => {
    expect((await status()).status).toBe('not_connected');
    const saved = (await saveCredentials()).body;
    expect(saved).toMatchObject({ clientId: 'sandbox-client', secretSet: true });
    expect(JSON.stringify(saved)).not.toContain('sandbox-secret');
    const fragment = await api().get('/screens/connect').set('Authorization', auth).expect(200);
    expect(fragment.text).not.toContain('sandbox-secret');
    expect(fragment.text).toContain('set (leave empty to keep)');
    const [row] = await db().query('SELECT client_secret FROM appriver_connections');
    expect(row.client_secret).toMatch(/^enc:v1:/);
  });

  it('explains a refused sign-in (user without Customer Portal Administrator)', async () => {
    const back = await signInAtAppRiver(await authorize(), 'helpdesk@acme.example');
    expect(back).toContain('error=access_denied');
    const page = await followCallback(back).expect(400);
    expect(page.text).toContain('Customer Portal Administrator');
    expect((await status()).message).toContain('Customer Portal Administrator');
  });

  it('explains a wrong client secret', async () => {
    await saveCredentials('wrong-secret');
    const page = await followCallback(await signInAtAppRiver(await authorize())).expect(400);
    expect(page.text).toContain('refused the Client ID or Client Secret');
    expect((await status()).message).toContain('Client Secret');
    await saveCredentials();
  });

  it('connects, imports 14 accounts (closed one skipped) paged at 10, and refuses the replayed state', async () => {
    await api().post('/sandbox/faults').send({}).expect(200);
    const back = await signInAtAppRiver(await authorize());
    expect(back).toMatch(/code=.*state=/);
    const page = await followCallback(back).expect(200);
    expect(page.text).toContain('you can close this window');
    const ready = await untilStatus(['ready']);
    expect(ready).toMatchObject({ accounts: 14, label: 'Ready to map' });
    expect(ready.services).toBeGreaterThan(5);
    const stats = (await api().get('/sandbox/stats').expect(200)).body.endpoints;
    expect(stats['appriver GET /customers']).toBe(2); // 15 customers, closed one excluded, limit 10 → 2 pages

    const replay = await followCallback(back).expect(400);
    expect(replay.text).toContain('already used');
    expect((await status()).status).toBe('ready');
  });

  it('imports services once, even after a second import, and flags the Referred customer', async () => {
    const before = await db().query('SELECT COUNT(*) AS n FROM vendor_services');
    const { ImportService } = await import('../../src/appriver/import.service');
    const tenantId = (await db().query('SELECT id FROM tenants'))[0].id;
    await t.app.get(ImportService).run(tenantId);
    const after = await db().query('SELECT COUNT(*) AS n FROM vendor_services');
    expect(Number(after[0].n)).toBe(Number(before[0].n));
    const accounts = await db().query('SELECT name, billable, problem FROM vendor_accounts ORDER BY name');
    expect(accounts).toHaveLength(14);
    const northwind = accounts.find((a: { name: string }) => a.name === 'Northwind Traders');
    expect(northwind.problem).toContain('Referred');
    const partner = accounts.find((a: { name: string }) => a.name.includes('(Partner)'));
    expect(Boolean(partner.billable)).toBe(false);
    const keys = await db().query(
      "SELECT subscription_key, quantity FROM vendor_subscriptions WHERE subscription_key LIKE '%/%'",
    );
    expect(keys).toHaveLength(1);
  });

  it('keeps the refresh token alive: a connection idle for days is refreshed by the scheduled job', async () => {
    const { KeepAliveService } = await import('../../src/appriver/keep-alive.service');
    const [before] = await db().query('SELECT refresh_token FROM appriver_connections');
    const keepAlive = t.app.get(KeepAliveService);
    expect(await keepAlive.tick()).toBe(0); // refreshed just now: nothing to do
    expect(await keepAlive.tick(Date.now() + 4 * 24 * 3600_000)).toBe(1);
    const [after] = await db().query('SELECT refresh_token FROM appriver_connections');
    expect(after.refresh_token).not.toBe(before.refresh_token);
  });

  it('refreshes an expired access token transparently and stores the rotated refresh token', async () => {
    const [before] = await db().query('SELECT refresh_token, version FROM appriver_connections');
    await api()
      .post('/sandbox/appriver/expire-access-tokens')
      .expect((r) => expect(r.status).toBeLessThan(300));
    const { ImportService } = await import('../../src/appriver/import.service');
    const tenantId = (await db().query('SELECT id FROM tenants'))[0].id;
    await expireAccessToken();
    await t.app.get(ImportService).run(tenantId);
    const [after] = await db().query('SELECT refresh_token, version FROM appriver_connections');
    expect(after.refresh_token).not.toBe(before.refresh_token);
    expect(after.version).toBeGreaterThan(before.version);
    expect((await status()).status).toBe('ready');
  });

  it('refreshes once when two syncs find the access token rejected at the same moment', async () => {
    const { ImportService } = await import('../../src/appriver/import.service');
    const tenantId = (await db().query('SELECT id FROM tenants'))[0].id;
    await api()
      .post('/sandbox/appriver/expire-access-tokens')
      .expect((r) => expect(r.status).toBeLessThan(300));
    await api().delete('/sandbox/stats').expect(200);
    const importer = t.app.get(ImportService);
    const [a, b] = await Promise.all([
      importer.client(tenantId).listCustomers(),
      importer.client(tenantId).listCustomers(),
    ]);
    expect(a).toHaveLength(14);
    expect(b).toHaveLength(14);
    const stats = (await api().get('/sandbox/stats').expect(200)).body.endpoints;
    expect(stats['appriver POST /auth/token']).toBe(1); // both saw a 401; one refresh served them
  });

  it('moves to Reauthorization required when the refresh token is dead', async () => {
    await api()
      .post('/sandbox/appriver/revoke')
      .expect((r) => expect(r.status).toBeLessThan(300));
    await expireAccessToken();
    const { ImportService } = await import('../../src/appriver/import.service');
    const tenantId = (await db().query('SELECT id FROM tenants'))[0].id;
    await expect(t.app.get(ImportService).run(tenantId)).rejects.toMatchObject({ kind: 'invalid_grant' });
    const s = await status();
    expect(s).toMatchObject({ status: 'reauth_required', label: 'Reauthorization required' });
    const fragment = await api().get('/screens/connect').set('Authorization', auth).expect(200);
    expect(fragment.text).toContain('Reconnect');
  });

  it('keeps read-only members from changing the connection', async () => {
    const viewer = await signIn(t.url, 'viewer');
    const res = await api().post('/api/appriver/authorize').set('Authorization', viewer).expect(403);
    expect(res.body.error).toBe('READ_ONLY');
    await api()
      .put('/api/appriver/credentials')
      .set('Authorization', viewer)
      .send({ clientId: 'x', clientSecret: 'y' })
      .expect(403);
  });

  it('reconnects; a user without the Billing role gets a status that says where to enable it', async () => {
    await api()
      .post('/sandbox/faults')
      .send({ appriver: { subscriptionsAsBareArray: true } })
      .expect(200);
    await followCallback(await signInAtAppRiver(await authorize(), 'nobilling@acme.example')).expect(200);
    const s = await untilStatus(['error']);
    expect(s.message).toContain('Billing role');
    expect(s.message).toContain('Has Billing Role');
    expect(s.accounts).toBe(14);

    await followCallback(await signInAtAppRiver(await authorize())).expect(200);
    expect(await untilStatus(['ready'])).toMatchObject({ message: null, accounts: 14 });
    await api().delete('/sandbox/faults').expect(200);
  });
});
