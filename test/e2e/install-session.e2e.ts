import request from 'supertest';
import { DataSource } from 'typeorm';
import { SessionTokens } from '../../src/session/session-token';
import { startTestApp, TestApp } from '../support/app';
import { DEMO_INSTALL, installDemo, memberPayload, signIn } from '../support/flows';

describe('install and hosted sign-in', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  const cwState = async () => (await request(t.url).get('/sandbox/cw/state').expect(200)).body;

  describe('install', () => {
    it('refuses a read-only API member and lists exactly what to add', async () => {
      const res = await request(t.url)
        .post('/api/install')
        .send({ ...DEMO_INSTALL, publicKey: 'readonly-public', privateKey: 'readonly-private' })
        .expect(400);
      expect(res.body.error).toBe('MISSING_PERMISSIONS');
      expect(res.body.details.missing).toEqual([
        'Finance.Agreements.Add',
        'Finance.Agreements.Edit',
        'Procurement.ProductCatalog.Inquire',
        'System.TableSetup.Inquire',
        'System.TableSetup.ManageHostedApi',
      ]);
      expect(res.body.message).toContain('Finance > Agreements: Add');
      expect((await cwState()).menuEntries).toHaveLength(0);
    });

    it('refuses wrong keys', async () => {
      const res = await request(t.url)
        .post('/api/install')
        .send({ ...DEMO_INSTALL, privateKey: 'wrong' })
        .expect(400);
      expect(res.body).toMatchObject({
        error: 'BAD_KEYS',
        message: expect.stringContaining('refused these API keys'),
      });
      expect(JSON.stringify(res.body)).not.toContain('wrong');
    });

    it('refuses an unknown company and an unreachable site', async () => {
      const unknown = await request(t.url)
        .post('/api/install')
        .send({ ...DEMO_INSTALL, companyId: 'nobody' })
        .expect(400);
      expect(unknown.body.error).toBe('UNKNOWN_COMPANY');
      const unreachable = await request(t.url)
        .post('/api/install')
        .send({ ...DEMO_INSTALL, site: 'cw.nowhere.invalid' })
        .expect(400);
      expect(unreachable.body.error).toBe('SITE_UNREACHABLE');
      const garbage = await request(t.url)
        .post('/api/install')
        .send({ ...DEMO_INSTALL, site: 'not a host' })
        .expect(400);
      expect(garbage.body.error).toBe('BAD_SITE');
    });

    it('names every missing field', async () => {
      const res = await request(t.url)
        .post('/api/install')
        .send({ site: 'na.myconnectwise.net' })
        .expect(400);
      expect(res.body.error).toBe('VALIDATION');
      expect(res.body.message).toContain('company ID');
      expect(res.body.message).toContain('private key');
    });

    it('registers the menu entry and the company pod once, even when installed twice', async () => {
      const first = await installDemo(t.url);
      expect(first).toMatchObject({
        companyId: 'acme',
        apiHost: 'api-na.myconnectwise.net',
        codebase: 'v2025_1/',
      });
      expect(first.entries.map((e: { action: string }) => e.action)).toEqual(['created', 'created']);
      const second = await installDemo(t.url);
      expect(second.entries.map((e: { action: string }) => e.action)).toEqual(['updated', 'updated']);
      const state = await cwState();
      expect(state.menuEntries).toHaveLength(1);
      expect(state.menuEntries[0]).toMatchObject({
        caption: 'AppRiver Billing',
        link: `${t.url.replace('localhost', '127.0.0.1')}/app`,
      });
      expect(state.hostedSetups).toHaveLength(1);
      expect(state.hostedSetups[0]).toMatchObject({ type: 'Pod', podHeight: 300 });
      expect(state.hostedSetups[0].url).toContain('/pod/company?id=[cw_id]&screen=[cw_screen]');
    });

    it('keeps the API keys encrypted at rest', async () => {
      const [tenant] = await t.app.get(DataSource).query('SELECT public_key, private_key FROM tenants');
      expect(tenant.private_key).toMatch(/^enc:v1:/);
      expect(tenant.private_key).not.toContain('sandbox-private');
    });

    it('serves the install page unframed', async () => {
      const res = await request(t.url).get('/install').set('Accept', 'text/html').expect(200);
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.text).toContain('Manage Hosted API');
    });
  });

  describe('session', () => {
    it('signs in a member whose hash ConnectWise confirms, with edit rights from mySecurity', async () => {
      const res = await request(t.url).post('/api/session').send(memberPayload('jsmith')).expect(200);
      expect(res.body.member).toMatchObject({ memberId: 'jsmith', canEdit: true });
      const viewer = await request(t.url).post('/api/session').send(memberPayload('viewer')).expect(200);
      expect(viewer.body.member.canEdit).toBe(false);
      await request(t.url).get('/api/session').set('Authorization', `Bearer ${res.body.token}`).expect(200);
    });

    it('verifies on the stored host, ignoring the site the browser claims', async () => {
      await request(t.url)
        .post('/api/session')
        .send({ ...memberPayload('jsmith'), site: 'evil.example' })
        .expect(200);
    });

    it('refuses a wrong member hash', async () => {
      const res = await request(t.url)
        .post('/api/session')
        .send({ ...memberPayload('jsmith'), memberHash: 'forged' })
        .expect(401);
      expect(res.body.error).toBe('INVALID_MEMBER');
    });

    it('refuses a member of a company that has not installed the plugin', async () => {
      const res = await request(t.url)
        .post('/api/session')
        .send({ ...memberPayload('jsmith'), companyid: 'othermsp' })
        .expect(401);
      expect(res.body.error).toBe('NOT_INSTALLED');
    });

    it('refuses forged, tampered and expired tokens', async () => {
      const good = (await signIn(t.url)).slice(7);
      const [body, sig] = good.split('.');
      const tampered = Buffer.from(
        JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), e: true, m: 'admin' }),
      ).toString('base64url');
      for (const token of [`${tampered}.${sig}`, 'garbage', `${body}.AAAA`]) {
        const res = await request(t.url)
          .get('/api/session')
          .set('Authorization', `Bearer ${token}`)
          .expect(401);
        expect(res.body.error).toBe('BAD_TOKEN');
      }
      const expired = t.app
        .get(SessionTokens)
        .issue({ tenantId: 1, memberId: 'jsmith', name: 'J', canEdit: true }, Date.now() - 3600_000);
      const res = await request(t.url)
        .get('/api/session')
        .set('Authorization', `Bearer ${expired.token}`)
        .expect(401);
      expect(res.body.error).toBe('TOKEN_EXPIRED');
      await request(t.url).get('/api/session').expect(401);
    });
  });

  describe('framing and uninstall', () => {
    it('lets only ConnectWise (and the sandbox itself) frame the screens', async () => {
      const res = await request(t.url).get('/app').set('Accept', 'text/html').expect(200);
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain('frame-ancestors');
      expect(csp).toContain('https://na.myconnectwise.net');
      expect(csp).not.toContain('*');
      expect(res.headers['x-frame-options']).toBeUndefined();
      expect(res.text).toContain('/public/js/hosted.js');
    });

    it('uninstall removes the menu entry and the pod from ConnectWise and wipes the stored keys', async () => {
      const viewer = await signIn(t.url, 'viewer');
      await request(t.url).post('/api/uninstall').set('Authorization', viewer).expect(403);
      const auth = await signIn(t.url);
      await request(t.url).post('/api/uninstall').set('Authorization', auth).expect(200);
      const state = await cwState();
      expect(state.menuEntries).toEqual([]);
      expect(state.hostedSetups).toEqual([]);
      const [tenant] = await t.app
        .get(DataSource)
        .query('SELECT public_key, private_key, uninstalled_at FROM tenants');
      expect(tenant).toMatchObject({ public_key: null, private_key: null });
      expect(tenant.uninstalled_at).not.toBeNull();
      const res = await request(t.url).post('/api/session').send(memberPayload('jsmith')).expect(401);
      expect(res.body.error).toBe('NOT_INSTALLED');
      await installDemo(t.url); // and it can be installed again
      expect((await cwState()).menuEntries).toHaveLength(1);
    });
  });
});
