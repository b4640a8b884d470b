import request from 'supertest';
import { connectDemo, waitForSync } from './flows';

/** The AR-* catalog item each demo AppRiver product is billed as (both Business Premium terms → AR-M365-BP). */
export const DEMO_PRODUCTS: Record<string, number> = {
  'Microsoft 365 Business Premium': 512,
  'Microsoft 365 Business Standard': 513,
  'Exchange Online (Plan 1)': 514,
  'Advanced Email Threat Protection': 515,
  'Email Archiving': 516,
  'Security Awareness Training': 517,
  'Cloud-to-Cloud Backup': 518,
  'Microsoft 365 Copilot (Annual term required) (Add-on)': 519,
  'Microsoft Teams Domestic Calling Plan (customers in US/UK/CA) (Add-on)': 520,
  SecureTide: 522,
};

const SUGGESTIONS_TO_CONFIRM = [
  'Tailspin Toys',
  'Litware, Inc.',
  'Coho Winery and Vineyard',
  'Proseware Inc',
];

/** Connect, accept the auto-matches, confirm the four suggestions, pick Adventure Works' agreement, map services. */
export async function mapDemo(url: string): Promise<string> {
  const auth = await connectDemo(url);
  const api = (method: 'put' | 'get' | 'post', path: string) =>
    request(url)[method](path).set('Authorization', auth);
  const accounts = (await api('get', '/api/accounts?pageSize=100').expect(200)).body.items;
  for (const name of SUGGESTIONS_TO_CONFIRM) {
    const a = accounts.find((x: { name: string }) => x.name === name);
    await api('put', `/api/accounts/${a.id}/mapping`)
      .send({ psaCompanyId: a.suggestions[0].targetId, method: 'suggestion' })
      .expect(200);
  }
  const adventure = accounts.find((x: { name: string }) => x.name === 'Adventure Works Cycles');
  await api('put', `/api/accounts/${adventure.id}/mapping`)
    .send({ psaCompanyId: 254, agreementId: 734 })
    .expect(200);
  const services = (await api('get', '/api/services').expect(200)).body.items;
  for (const s of services) {
    const product = DEMO_PRODUCTS[s.productName];
    if (product)
      await api('put', `/api/services/${s.id}/mapping`).send({ psaProductId: product }).expect(200);
  }
  return auth;
}

/** Map as above, Finish, and wait for the first sync. */
export async function syncDemo(url: string): Promise<string> {
  const auth = await mapDemo(url);
  await request(url).post('/api/setup/finish').set('Authorization', auth).expect(200);
  const status = await waitForSync(url, auth);
  if (status.state !== 'succeeded') throw new Error(`sync failed: ${JSON.stringify(status)}`);
  return auth;
}

/** What the simulated ConnectWise holds now. */
export async function cwAdditions(url: string) {
  const state = (await request(url).get('/sandbox/cw/state').expect(200)).body;
  return state.agreements.flatMap((a: { id: number; additions: object[] }) =>
    a.additions.map((x) => ({ agreementId: a.id, ...x })),
  );
}

/** A person editing an addition directly in ConnectWise (through the simulated API, with the demo keys). */
export function editInConnectWise(url: string, agreementId: number, additionId: number, ops: object[]) {
  return request(url)
    .patch(`/v2025_1/apis/3.0/finance/agreements/${agreementId}/additions/${additionId}`)
    .set('Authorization', `Basic ${Buffer.from('acme+sandbox-public:sandbox-private').toString('base64')}`)
    .set('clientId', '00000000-0000-4000-8000-00000000cafe')
    .send(ops);
}
