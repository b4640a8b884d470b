import request from 'supertest';
import { startTestApp, TestApp } from '../support/app';

describe('foundation (sandbox on SQLite)', () => {
  let t: TestApp;
  beforeAll(async () => (t = await startTestApp()));
  afterAll(() => t.close());

  it('reports health with database and mode', async () => {
    const res = await request(t.url).get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      database: process.env.TEST_DATABASE_URL ? 'mysql' : 'sqlite',
      mode: 'sandbox',
    });
  });

  it('serves the sandbox landing page describing the world', async () => {
    const res = await request(t.url).get('/sandbox').expect(200);
    expect(res.text).toContain('Sandbox: demo world');
    expect(res.text).toContain('na.myconnectwise.net');
    expect(res.text).toContain('15 companies');
  });

  it('answers unknown /api routes with the JSON error shape', async () => {
    const res = await request(t.url).get('/api/nothing-here').expect(404);
    expect(res.body).toMatchObject({
      error: 'NOT_FOUND',
      message: expect.stringContaining('/api/nothing-here'),
    });
  });

  it('answers unknown pages with a readable error page', async () => {
    const res = await request(t.url).get('/nothing-here').set('Accept', 'text/html').expect(404);
    expect(res.text).toContain('role="alert"');
  });

  it('serves the stylesheet', async () => {
    await request(t.url).get('/public/css/app.css').expect(200).expect('Content-Type', /css/);
  });
});
