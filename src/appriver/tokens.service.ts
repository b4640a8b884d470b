import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { SandboxHost } from '../sandbox/sandbox-host';
import { appRiverEndpoints } from './appriver-endpoints';
import { AppRiverOAuthClient } from './appriver-oauth.client';
import { AppRiverError } from './appriver.errors';
import { ArTokenSet } from './appriver.types';
import { ConnectionRepository } from './connection.repository';

export const REAUTH_MESSAGE =
  'AppRiver no longer accepts our sign-in (the authorization was revoked or unused for 14 days). Click Reconnect and sign in again.';

/**
 * Access tokens for AppRiver. AppRiver rotates the refresh token on every refresh and the old one dies, so:
 * one refresh at a time per tenant (single-flight here, a version check in the database across instances), and
 * the new refresh token is stored before the new access token is handed out.
 */
@Injectable()
export class TokensService {
  private readonly logger = new Logger('AppRiverTokens');
  private readonly inFlight = new Map<number, Promise<string>>();
  private readonly cache = new Map<number, { token: string; expiresAt: number }>();

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() private readonly sandboxHost?: SandboxHost,
  ) {}

  get endpoints(): AppConfig['appriver'] {
    return appRiverEndpoints(this.config, this.sandboxHost);
  }

  oauth(): AppRiverOAuthClient {
    return new AppRiverOAuthClient(this.endpoints);
  }

  /** A valid access token, refreshing it first when it expires within the configured margin. */
  async accessToken(tenantId: number): Promise<string> {
    const margin = this.config.appriver.refreshSkewSeconds * 1000;
    // An import makes one call per subscription: the token is kept in memory instead of read and decrypted each time.
    const cached = this.cache.get(tenantId);
    if (cached && cached.expiresAt - margin > Date.now()) return cached.token;
    const c = await this.connections.get(tenantId);
    if (c.accessToken && c.accessTokenExpiresAt && c.accessTokenExpiresAt.getTime() - margin > Date.now()) {
      this.cache.set(tenantId, { token: c.accessToken, expiresAt: c.accessTokenExpiresAt.getTime() });
      return c.accessToken;
    }
    return this.refresh(tenantId);
  }

  /** Refreshes now (after a 401, or to keep the refresh token alive), joining a refresh already under way. */
  refresh(tenantId: number): Promise<string> {
    this.cache.delete(tenantId);
    const running = this.inFlight.get(tenantId);
    if (running) return running;
    const p = this.doRefresh(tenantId).finally(() => this.inFlight.delete(tenantId));
    this.inFlight.set(tenantId, p);
    return p;
  }

  /** Stores the tokens of a fresh authorization (the OAuth callback). */
  async storeGrant(tenantId: number, tokens: ArTokenSet): Promise<void> {
    this.cache.delete(tenantId);
    const c = await this.connections.get(tenantId);
    await this.connections.repo.save({
      ...c,
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.expiresAt,
      refreshToken: tokens.refreshToken,
      refreshedAt: new Date(),
      version: c.version + 1,
    });
  }

  private async doRefresh(tenantId: number): Promise<string> {
    const c = await this.connections.get(tenantId);
    if (!c.refreshToken || !c.clientId || !c.clientSecret) {
      throw new AppRiverError(
        'refresh',
        null,
        'invalid_grant',
        'AppRiver is not connected: click Authenticate on the Connect screen.',
      );
    }
    let tokens: ArTokenSet;
    try {
      tokens = await this.oauth().refresh({
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        refreshToken: c.refreshToken,
      });
    } catch (error) {
      if (
        error instanceof AppRiverError &&
        (error.kind === 'invalid_grant' || error.kind === 'invalid_client')
      ) {
        // Another instance may have rotated the token a moment ago: if so, its token is the one to use.
        const now = await this.connections.get(tenantId);
        if (now.version !== c.version && now.accessToken) return now.accessToken;
        await this.connections.repo.update(
          { tenantId },
          { status: 'reauth_required', message: REAUTH_MESSAGE, accessToken: null },
        );
        await this.audit.record({
          tenantId,
          actor: 'system',
          action: 'appriver_reauth_required',
          entity: 'appriver_connection',
          summary: error.message,
        });
      }
      throw error;
    }
    // Compare-and-set on the version: if another instance refreshed meanwhile, keep its (equally valid) state.
    const result = await this.connections.repo
      .createQueryBuilder()
      .update()
      .set({
        refreshToken: tokens.refreshToken,
        accessToken: tokens.accessToken,
        accessTokenExpiresAt: tokens.expiresAt,
        refreshedAt: new Date(),
        version: c.version + 1,
      })
      .where('tenant_id = :tenantId AND version = :version', { tenantId, version: c.version })
      .execute();
    if (!result.affected)
      this.logger.warn(`Tenant ${tenantId}: concurrent AppRiver refresh detected; using the newer token`);
    return tokens.accessToken;
  }
}
