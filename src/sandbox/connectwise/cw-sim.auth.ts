import { World, WorldApiKey, WorldMember } from '../world';

/** Who is calling: an API member's key pair, or a person signed in through a hosted page (member hash). */
export type Principal =
  | { kind: 'apiKey'; key: WorldApiKey; index: number }
  | { kind: 'member'; member: WorldMember; index: number };

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: string | undefined): value is string {
  return value !== undefined && GUID.test(value.trim());
}

/**
 * ConnectWise's two ways in (research/connectwise.md §1.6, §2.4):
 * - `Authorization: Basic base64("<companyId>+<publicKey|memberId>:<privateKey|memberHash>")`;
 * - the hosted API's cookies `companyName`, `memberId`, `memberHash`, `memberContext` (member only).
 * The company id compares case-insensitively; keys and hashes exactly. Returns null for anything else.
 */
export function authenticate(
  headers: { authorization?: string; cookie?: string },
  cw: World['connectwise'],
): Principal | null {
  if (headers.authorization) return fromBasic(headers.authorization, cw);
  if (headers.cookie) return fromCookies(headers.cookie, cw);
  return null;
}

function fromBasic(header: string, cw: World['connectwise']): Principal | null {
  const match = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!match) return null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const plus = decoded.indexOf('+');
  if (colon === -1 || plus === -1 || plus > colon) return null;
  const companyId = decoded.slice(0, plus);
  const username = decoded.slice(plus + 1, colon);
  const password = decoded.slice(colon + 1);
  if (companyId.toLowerCase() !== cw.companyId.toLowerCase()) return null;
  const keyIndex = cw.apiKeys.findIndex((k) => k.publicKey === username && k.privateKey === password);
  if (keyIndex !== -1) return { kind: 'apiKey', key: cw.apiKeys[keyIndex], index: keyIndex };
  return findMember(cw, username, password);
}

function fromCookies(header: string, cw: World['connectwise']): Principal | null {
  const cookies = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    cookies.set(part.slice(0, eq).trim().toLowerCase(), safeDecode(part.slice(eq + 1).trim()));
  }
  const company = cookies.get('companyname');
  const memberId = cookies.get('memberid');
  const hash = cookies.get('memberhash');
  // The HostedReadme: memberContext "must be passed along with the memberHash".
  if (!company || !memberId || !hash || !cookies.get('membercontext')) return null;
  if (company.toLowerCase() !== cw.companyId.toLowerCase()) return null;
  return findMember(cw, memberId, hash);
}

function findMember(cw: World['connectwise'], identifier: string, hash: string): Principal | null {
  const index = cw.members.findIndex(
    (m) => m.identifier.toLowerCase() === identifier.toLowerCase() && m.memberHash === hash,
  );
  return index === -1 ? null : { kind: 'member', member: cw.members[index], index };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
