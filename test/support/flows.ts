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
