import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

export interface MemberClaims {
  tenantId: number;
  memberId: string;
  name: string;
  /** Finance > Agreements edit rights in ConnectWise: approving and writing back need them. */
  canEdit: boolean;
}

export type TokenCheck =
  | { ok: true; claims: MemberClaims; expiresAt: number }
  | { ok: false; reason: 'malformed' | 'signature' | 'expired' };

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');

/** Short-lived HMAC-signed bearer tokens: no server-side session store, no cookies in the ConnectWise iframe. */
export class SessionTokens {
  private readonly key: Buffer;

  constructor(
    masterKey: Buffer,
    readonly ttlSeconds = 30 * 60,
  ) {
    // A key of its own, derived from the encryption key, so a token never helps decrypt anything.
    this.key = Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'session-token-v1', 32));
  }

  issue(claims: MemberClaims, now = Date.now()): { token: string; expiresAt: number } {
    const expiresAt = now + this.ttlSeconds * 1000;
    const body = b64(
      JSON.stringify({
        t: claims.tenantId,
        m: claims.memberId,
        n: claims.name,
        e: claims.canEdit,
        x: expiresAt,
      }),
    );
    return { token: `${body}.${this.sign(body)}`, expiresAt };
  }

  verify(token: string, now = Date.now()): TokenCheck {
    const [body, signature, extra] = token.split('.');
    if (!body || !signature || extra !== undefined) return { ok: false, reason: 'malformed' };
    const expected = Buffer.from(this.sign(body));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return { ok: false, reason: 'signature' };
    let p: { t: number; m: string; n: string; e: boolean; x: number };
    try {
      p = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, reason: 'malformed' };
    }
    if (typeof p.x !== 'number' || p.x <= now) return { ok: false, reason: 'expired' };
    return {
      ok: true,
      claims: { tenantId: p.t, memberId: p.m, name: p.n, canEdit: p.e === true },
      expiresAt: p.x,
    };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
