import request from 'supertest';
import { demoWorld } from './app';

const world = demoWorld();

export const DEMO_INSTALL = {
  site: world.connectwise.site,
  companyId: world.connectwise.companyId,
  publicKey: 'sandbox-public',
  privateKey: 'sandbox-private',
};

/** Installs the plugin with the demo world's full-permission keys, as an admin would from /install. */
export async function installDemo(url: string) {
  const res = await request(url).post('/api/install').send(DEMO_INSTALL);
  if (res.status !== 200) throw new Error(`install failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

/** What ConnectWise's getMemberAuthentication hands the hosted page for this member. */
export function memberPayload(identifier: string) {
  const m = world.connectwise.members.find((x) => x.identifier === identifier)!;
  return {
    site: world.connectwise.site,
    companyid: world.connectwise.companyId,
    memberid: m.identifier,
    memberHash: m.memberHash,
    memberContext: 'web',
    memberEmail: m.email,
    codeBase: world.connectwise.codebase,
  };
}

/** Signs a member in through POST /api/session and returns the bearer header value. */
export async function signIn(url: string, identifier = 'jsmith'): Promise<string> {
  const res = await request(url).post('/api/session').send(memberPayload(identifier));
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  return `Bearer ${res.body.token}`;
}

/** Install, sign in as jsmith, connect AppRiver through the simulated Secure Cloud IDP and wait for "Ready". */
export async function connectDemo(url: string): Promise<string> {
  const { signInAtAppRiver } = await import('./appriver');
  await installDemo(url);
  const auth = await signIn(url);
  await request(url)
    .put('/api/appriver/credentials')
    .set('Authorization', auth)
    .send({ clientId: 'sandbox-client', clientSecret: 'sandbox-secret' })
    .expect(200);
  const { url: start } = (
    await request(url).post('/api/appriver/authorize').set('Authorization', auth).expect(200)
  ).body;
  await request(await signInAtAppRiver(start))
    .get('')
    .expect(200);
  for (let i = 0; i < 200; i++) {
    const s = (await request(url).get('/api/appriver/status').set('Authorization', auth)).body;
    if (s.status === 'ready') return auth;
    if (s.status === 'error' || s.status === 'reauth_required')
      throw new Error(`connect failed: ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('AppRiver import did not finish');
}

/** Polls the sync status until the run is no longer queued or running. */
export async function waitForSync(url: string, auth: string, timeoutMs = 60000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const s = (await request(url).get('/api/sync/status').set('Authorization', auth).expect(200)).body;
    if (s.state !== 'queued' && s.state !== 'running') return s;
    if (Date.now() > until) throw new Error(`sync still ${s.state}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
