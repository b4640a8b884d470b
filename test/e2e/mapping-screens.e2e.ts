import request from 'supertest';
import { startTestApp, TestApp } from '../support/app';
import { signInAtAppRiver } from '../support/appriver';
import { installDemo, signIn } from '../support/flows';

describe('dump', () => {
  let t: TestApp;
  let auth: string;
  beforeAll(async () => {
    t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    await installDemo(t.url);
    auth = await signIn(t.url);
    await request(t.url).put('/api/appriver/credentials').set('Authorization', auth).send({ clientId: 'sandbox-client', clientSecret: 'sandbox-secret' }).expect(200);
    const url = (await request(t.url).post('/api/appriver/authorize').set('Authorization', auth).expect(200)).body.url;
    await request(await signInAtAppRiver(url)).get('').expect(200);
    for (let i = 0; i < 100; i++) {
      const s = (await request(t.url).get('/api/appriver/status').set('Authorization', auth)).body;
      if (s.status === 'ready') break;
      await new Promise((r) => setTimeout(r, 100));
    }
  });
  afterAll(() => t.close());
  it('dumps', async () => {
    const g = async (p: string) => (await request(t.url).get(p).set('Authorization', auth)).body;
    require('fs').writeFileSync('/tmp/scratch/dump.json', JSON.stringify({
      accounts: await g('/api/accounts'),
      services: await g('/api/services'),
      companies: await g('/api/psa/companies?search=pro'),
      products: await g('/api/psa/products'),
      review: await g('/api/setup/review'),
      ag: await g('/api/psa/companies/254/agreements'),
    }, null, 1));
  });
});
