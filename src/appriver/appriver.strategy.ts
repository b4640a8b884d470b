import { Strategy as OAuth2Strategy, VerifyCallback } from 'passport-oauth2';
import type { Request } from 'express';
import type { Repository } from 'typeorm';
import { OAuthState } from './appriver-connection.entity';
import { AppRiverOAuthClient } from './appriver-oauth.client';
import type { ArTokenSet } from './appriver.types';

export type StateProblem = 'unknown' | 'replayed' | 'expired';

/**
 * passport-oauth2's state store, backed by our one-time `oauth_states` rows: a state is bound to the tenant and
 * member who clicked Authenticate, lives 10 minutes and can be used once.
 */
export class OneTimeStateStore {
  constructor(private readonly states: Repository<OAuthState>) {}

  store(
    req: Request & { oauthState?: string },
    _meta: unknown,
    done: (err: Error | null, state?: string) => void,
  ): void {
    done(null, req.oauthState);
  }

  verify(
    _req: Request,
    state: string,
    _meta: unknown,
    done: (err: Error | null, ok: boolean, info?: { message: StateProblem }) => void,
  ): void {
    this.consume(state).then(
      (problem) => (problem ? done(null, false, { message: problem }) : done(null, true)),
      (error) => done(error, false),
    );
  }

  /** Marks the state used; the conditional update makes a concurrent replay lose even within the same instant. */
  async consume(state: string): Promise<StateProblem | null> {
    const row = await this.states.findOne({ where: { state } });
    if (!row) return 'unknown';
    if (row.usedAt) return 'replayed';
    if (row.expiresAt.getTime() < Date.now()) return 'expired';
    const result = await this.states
      .createQueryBuilder()
      .update()
      .set({ usedAt: new Date() })
      .where('id = :id AND used_at IS NULL', { id: row.id })
      .execute();
    return result.affected ? null : 'replayed';
  }
}

export interface StrategyInput {
  authorizationURL: string;
  tokenURL: string;
  clientID: string;
  clientSecret: string;
  callbackURL: string;
  scope: string;
  store: OneTimeStateStore;
  oauth: AppRiverOAuthClient;
}

/**
 * The authorization-code flow for one tenant's AppRiver credentials (each MSP brings its own client id and
 * secret, so a strategy is built per request). Passport runs the protocol (redirect, state, callback); the code
 * exchange goes through AppRiverOAuthClient so Basic client auth, the required scope and AppRiver's nested error
 * bodies are handled in one place.
 */
export class AppRiverStrategy extends OAuth2Strategy {
  constructor(input: StrategyInput) {
    super(
      {
        authorizationURL: input.authorizationURL,
        tokenURL: input.tokenURL,
        clientID: input.clientID,
        clientSecret: input.clientSecret,
        callbackURL: input.callbackURL,
        scope: input.scope,
        store: input.store as never,
      },
      (_access: string, _refresh: string, tokens: ArTokenSet, _profile: unknown, done: VerifyCallback) =>
        done(null, tokens),
    );
    this.name = 'appriver';
    const oauth2 = (this as unknown as { _oauth2: { getOAuthAccessToken: unknown } })._oauth2;
    oauth2.getOAuthAccessToken = (
      code: string,
      params: { redirect_uri?: string },
      done: (...args: unknown[]) => void,
    ) => {
      input.oauth
        .exchangeCode({
          clientId: input.clientID,
          clientSecret: input.clientSecret,
          code,
          redirectUri: params.redirect_uri ?? input.callbackURL,
        })
        .then(
          (tokens) => done(null, tokens.accessToken, tokens.refreshToken, tokens),
          (error) => done(error),
        );
    };
  }
}
