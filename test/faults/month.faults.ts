import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import request from 'supertest';
import { WriteBackService } from '../../src/review/write-back.service';
import { startTestApp, TestApp } from '../support/app';
import { cwAdditions, syncDemo } from '../support/demo-month';
import { signIn, waitForSync } from '../support/flows';
import { spawnApp } from '../support/process';

type Addition = {
  id: number;
  agreementId: number;
  product: { id: number };
  quantity: number;
  cancelledDate?: string;
  unitPrice: number;
  billCustomer: string;
};

/** What a month leaves in ConnectWise, independent of ids and timestamps. */
const normalize = (additions: Addition[]) =>
  additions
    .map(
      (a) =>
        `${a.agreementId}/${a.product.id} qty=${a.quantity} price=${a.unitPrice} ${a.billCustomer} cancelled=${a.cancelledDate ? a.cancelledDate.slice(0, 10) : '-'}`,
    )
    .sort();

async function usageSummary(url: string, auth: string) {
  const lines = [
    ...(await request(url).get('/api/usage?pageSize=500').set('Authorization', auth)).body.items,
    ...(await request(url).get('/api/usage?kind=in_sync&pageSize=500').set('Authorization', auth)).body.items,
  ];
  return lines
    .map(
      (l: any) =>
        `${l.accountName}|${l.productIdentifier}|${l.vendorQty}|${l.psaQty}|${l.kind}|${l.reviewStatus}`,
    )
    .sort();
}

async function approveAll(url: string, auth: string) {
  const lines = (await request(url).get('/api/usage?pageSize=500').set('Authorization', auth)).body.items;
  return (
    await request(url)
      .post('/api/usage/approve')
      .set('Authorization', auth)
      .send({ lineIds: lines.map((l: { id: number }) => l.id) })
      .expect(200)
  ).body;
}

async function untilNoneApproved(url: string, auth: string, timeoutMs = 120000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = (await request(url).get('/api/usage?status=approved&pageSize=10').set('Authorization', auth))
      .body;
    if (res.total === 0) return;
    if (Date.now() > until) throw new Error(`${res.total} lines still approved but not written`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('the demo month under faults', () => {
  let clean: { additions: string[]; lines: string[] };

  beforeAll(async () => {
    const t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    try {
      const auth = await syncDemo(t.url);
      await approveAll(t.url, auth);
      await t.app.get(WriteBackService).kick(1);
      clean = { additions: normalize(await cwAdditions(t.url)), lines: await usageSummary(t.url, auth) };
    } finally {
      await t.close();
    }
  });

  it('ends in the same ConnectWise additions and usage lines with 429s, 503s, an empty body and latency spikes', async () => {
    const t: TestApp = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    try {
      await request(t.url)
        .post('/sandbox/faults')
        .send({
          connectwise: { rateLimitEvery: 5, retryAfterSeconds: 1 },
          appriver: { serverErrorEvery: 7 },
          appriverEmptyBodies: 1,
          latencySpikeEvery: 9,
          latencySpikeMs: 200,
        })
        .expect(200);
      const auth = await syncDemo(t.url);
      await approveAll(t.url, auth);
      await t.app.get(WriteBackService).kick(1);
      await untilNoneApproved(t.url, auth);
      expect(normalize(await cwAdditions(t.url))).toEqual(clean.additions);
      expect(await usageSummary(t.url, auth)).toEqual(clean.lines);
      const stats = (await request(t.url).get('/sandbox/stats')).body.total;
      expect(stats.connectwise).toBeGreaterThan(20); // the faults really were on the path
    } finally {
      await t.close();
    }
  });

  it('finishes the write-back after the process is killed in the middle of approve-all, writing nothing twice', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arr-kill-'));
    let app = await spawnApp(dataDir, { APPRIVER_PAGE_SIZE: '10' });
    try {
      const auth = await syncDemo(app.url);
      const before = normalize(await cwAdditions(app.url));
      await request(app.url).post('/sandbox/faults').send({ latencyMs: 250 }).expect(200);
      await approveAll(app.url, auth);
      let changed = 0;
      for (let i = 0; ; i++) {
        changed = normalize(await cwAdditions(app.url)).filter((a) => !before.includes(a)).length;
        if (changed >= 2) break;
        if (i > 400) throw new Error('no write landed');
        await new Promise((r) => setTimeout(r, 25));
      }
      await app.kill('SIGKILL');
      expect(changed).toBeLessThan(clean.additions.filter((a) => !before.includes(a)).length); // really killed mid-way
      const mid = JSON.parse(fs.readFileSync(path.join(dataDir, 'sandbox-connectwise.json'), 'utf8'));
      expect(mid.agreements.length).toBeGreaterThan(0);

      app = await spawnApp(dataDir, { APPRIVER_PAGE_SIZE: '10' });
      const auth2 = await signIn(app.url);
      await untilNoneApproved(app.url, auth2);
      expect(normalize(await cwAdditions(app.url))).toEqual(clean.additions);
      const written = (
        await request(app.url)
          .get('/api/audit?action=addition_written&pageSize=100')
          .set('Authorization', auth2)
      ).body;
      expect(written.total).toBe(10);
    } finally {
      await app.kill();
      if (process.env.KEEP_OUTPUT) console.log(app.output());
    }
  });

  it('writes each change once when two sessions approve the same lines at once', async () => {
    const t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    try {
      const auth = await syncDemo(t.url);
      const other = await signIn(t.url);
      await request(t.url).delete('/sandbox/stats').expect(200); // count only what the approvals cause
      const lines = (
        await request(t.url).get('/api/usage?pageSize=500').set('Authorization', auth)
      ).body.items.map((l: { id: number }) => l.id);
      const [a, b] = await Promise.all(
        [auth, other].map((who) =>
          request(t.url)
            .post('/api/usage/approve')
            .set('Authorization', who)
            .send({ lineIds: lines })
            .expect(200),
        ),
      );
      const approved = [...a.body.results, ...b.body.results].filter(
        (r: { result: string }) => r.result === 'approved',
      );
      expect(approved).toHaveLength(10);
      await t.app.get(WriteBackService).kick(1);
      await untilNoneApproved(t.url, auth);
      const endpoints = (await request(t.url).get('/sandbox/stats')).body.endpoints;
      expect(endpoints['connectwise POST /finance/agreements/{id}/additions']).toBe(2);
      expect(endpoints['connectwise PATCH /finance/agreements/{id}/additions/{id}']).toBe(8);
      expect(normalize(await cwAdditions(t.url))).toEqual(clean.additions);
    } finally {
      await t.close();
    }
  });

  it('leaves the connection in Reauthorization required, the run failed and explained, and nothing half-written when the refresh token is revoked mid-sync', async () => {
    const t = await startTestApp({ env: { APPRIVER_PAGE_SIZE: '10' } });
    try {
      const auth = await syncDemo(t.url);
      const first = await waitForSync(t.url, auth);
      const additionsBefore = normalize(await cwAdditions(t.url));
      await request(t.url).post('/sandbox/faults').send({ latencyMs: 60 }).expect(200);
      await request(t.url).post('/api/sync').set('Authorization', auth).expect(202);
      for (let i = 0; i < 200; i++) {
        const s = (await request(t.url).get('/api/sync/status').set('Authorization', auth)).body;
        if (s.state === 'running') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await request(t.url)
        .post('/sandbox/appriver/revoke')
        .expect((r) => expect(r.status).toBeLessThan(300));
      const status = await waitForSync(t.url, auth);
      expect(status.state).toBe('failed');
      expect(status.error).toContain('Reconnect');
      expect(status.latestCompletedRunId).toBe(first.latestCompletedRunId); // the review keeps showing the last good run
      const connection = (await request(t.url).get('/api/appriver/status').set('Authorization', auth)).body;
      expect(connection).toMatchObject({ status: 'reauth_required', label: 'Reauthorization required' });
      expect(normalize(await cwAdditions(t.url))).toEqual(additionsBefore);
    } finally {
      await t.close();
    }
  });
});
