import { Inject, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { SandboxFaults } from '../faults';
import { WORLD } from '../sandbox.tokens';
import { World } from '../world';

export const CODE_TTL_MS = 60_000;
export const FLOW_TTL_MS = 10 * 60_000;
export const REFRESH_TTL_MS = 14 * 86_400_000;
/** The one scope the Secure Cloud resources are known to need (research/appriver.md §2.2). */
export const KNOWN_SCOPES = ['SecureCloud.Platform'];

export type FlowStep = 'idp' | 'signin' | 'consent';

export interface AuthorizeFlow {
  id: string;
  clientId: string;
  redirectUri: string;
  scope: string;
  state: string | null;
  step: FlowStep;
  username: string | null;
  expiresAt: number;
}

interface Grant {
  clientId: string;
  username: string;
  scope: string;
  expiresAt: number;
}

export interface IssuedTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope: string;
}

const opaque = (bytes = 32) => randomBytes(bytes).toString('base64url');
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Everything the simulated AppRiver IDP remembers: sign-in flows in progress (keyed by a random id carried in
 * hidden form fields, never cookies), authorization codes, access and refresh tokens. In memory; the world
 * itself is never changed.
 */
@Injectable()
export class ArSimState {
  private readonly flows = new Map<string, AuthorizeFlow>();
  private readonly codes = new Map<string, Grant & { redirectUri: string }>();
  private readonly accessTokens = new Map<string, Grant>();
  private readonly refreshTokens = new Map<string, Grant>();

  constructor(
    @Inject(WORLD) private readonly world: World,
    private readonly faults: SandboxFaults,
  ) {}

  client(clientId: string | undefined) {
    return clientId ? this.world.appriver.clients.find((c) => c.clientId === clientId) : undefined;
  }

  user(username: string | null | undefined) {
    if (!username) return undefined;
    // Sign-in names are e-mail addresses: case does not matter.
    return this.world.appriver.users.find((u) => u.username.toLowerCase() === username.toLowerCase());
  }

  startFlow(input: Omit<AuthorizeFlow, 'id' | 'step' | 'username' | 'expiresAt'>): AuthorizeFlow {
    this.sweep();
    const flow: AuthorizeFlow = {
      ...input,
      id: opaque(18),
      step: 'idp',
      username: null,
      expiresAt: Date.now() + FLOW_TTL_MS,
    };
    this.flows.set(flow.id, flow);
    return flow;
  }

  flow(id: unknown): AuthorizeFlow | undefined {
    const flow = typeof id === 'string' ? this.flows.get(id) : undefined;
    if (flow && flow.expiresAt <= Date.now()) {
      this.flows.delete(flow.id);
      return undefined;
    }
    return flow;
  }

  endFlow(flow: AuthorizeFlow): void {
    this.flows.delete(flow.id);
  }

  issueCode(flow: AuthorizeFlow): string {
    const code = opaque();
    this.codes.set(code, {
      clientId: flow.clientId,
      username: flow.username!,
      scope: flow.scope,
      redirectUri: flow.redirectUri,
      expiresAt: Date.now() + CODE_TTL_MS,
    });
    this.flows.delete(flow.id);
    return code;
  }

  /** Single use: the code is gone after the first try, whether that try succeeds or not. */
  redeemCode(code: string, clientId: string, redirectUri: string | undefined): Grant | 'invalid' {
    const grant = this.codes.get(code);
    this.codes.delete(code);
    if (!grant || grant.expiresAt <= Date.now() || grant.clientId !== clientId) return 'invalid';
    if (redirectUri !== undefined && redirectUri !== grant.redirectUri) return 'invalid';
    return grant;
  }

  /** Rotation: the old refresh token is spent even when the new pair is not picked up. */
  redeemRefreshToken(token: string, clientId: string): Grant | 'invalid' {
    const grant = this.refreshTokens.get(token);
    if (!grant || grant.clientId !== clientId) return 'invalid';
    this.refreshTokens.delete(token);
    if (grant.expiresAt <= Date.now()) return 'invalid';
    return grant;
  }

  issueTokens(grant: Pick<Grant, 'clientId' | 'username' | 'scope'>): IssuedTokens {
    this.sweep();
    const seconds = this.faults.current.appriver.accessTokenSeconds;
    const now = Date.now();
    // Shaped like the JWT Unity issues; clients must treat it as opaque.
    const accessToken = [
      b64({ alg: 'RS256', typ: 'JWT' }),
      b64({
        iss: 'sandbox-appriver',
        sub: randomUUID(),
        client_id: grant.clientId,
        scope: grant.scope,
        exp: Math.floor(now / 1000) + seconds,
      }),
      opaque(),
    ].join('.');
    const refreshToken = opaque();
    this.accessTokens.set(accessToken, { ...grant, expiresAt: now + seconds * 1000 });
    this.refreshTokens.set(refreshToken, { ...grant, expiresAt: now + REFRESH_TTL_MS });
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: seconds,
      refresh_token: refreshToken,
      scope: grant.scope,
    };
  }

  /** The grant behind a bearer token, if it is known and not expired. */
  bearer(token: string | null): Grant | undefined {
    const grant = token ? this.accessTokens.get(token) : undefined;
    return grant && grant.expiresAt > Date.now() ? grant : undefined;
  }

  revokeAll(): { accessTokens: number; refreshTokens: number } {
    const counts = { accessTokens: this.accessTokens.size, refreshTokens: this.refreshTokens.size };
    this.accessTokens.clear();
    this.refreshTokens.clear();
    return counts;
  }

  expireAccessTokens(): { accessTokens: number } {
    const now = Date.now();
    for (const grant of this.accessTokens.values()) grant.expiresAt = Math.min(grant.expiresAt, now - 1);
    return { accessTokens: this.accessTokens.size };
  }

  private sweep(): void {
    const now = Date.now();
    for (const map of [this.flows, this.codes, this.accessTokens, this.refreshTokens] as Map<
      string,
      { expiresAt: number }
    >[]) {
      for (const [key, value] of map) if (value.expiresAt <= now) map.delete(key);
    }
  }
}
