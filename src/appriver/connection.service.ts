import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import passport from 'passport';
import { LessThan, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppError, badRequest } from '../common/errors';
import type { MemberClaims } from '../session/session-token';
import { manifest } from '../tenants/manifest';
import { PUBLIC_ORIGIN, PublicOrigin } from '../tenants/tenants.service';
import { ConnectionStatus, OAuthState } from './appriver-connection.entity';
import { AppRiverError } from './appriver.errors';
import { AppRiverStrategy, OneTimeStateStore } from './appriver.strategy';
import type { ArTokenSet } from './appriver.types';
import { ConnectionRepository } from './connection.repository';
import { ImportService } from './import.service';
import { TokensService } from './tokens.service';

export class CredentialsDto {
  @IsString()
  @MaxLength(200)
  @Matches(/\S/, { message: 'Enter the Client ID from the AppRiver console' })
  clientId: string;
  /** Optional once set: the secret is write-only, so the form leaves it empty to keep the stored one. */
  @IsOptional() @IsString() @MaxLength(500) clientSecret?: string;
}

const STATE_TTL_MS = 10 * 60 * 1000;

const STATUS_TEXT: Record<ConnectionStatus, { label: string; explain: string; next: string }> = {
  not_connected: {
    label: 'Not connected',
    explain: 'We have no access to your AppRiver partner account yet.',
    next: 'Enter the Client ID and Client Secret, save, then click Authenticate.',
  },
  authorizing: {
    label: 'Authorizing',
    explain: 'The AppRiver sign-in window is open.',
    next: 'Sign in there, choose "Secure Cloud IDP" and click Continue. Then click Refresh status.',
  },
  importing: {
    label: 'Pending',
    explain: 'Accounts and services are being imported from AppRiver.',
    next: 'This takes a minute or two. Click Refresh status to see the counts grow.',
  },
  ready: {
    label: 'Ready to map',
    explain: 'AppRiver accounts and services are imported.',
    next: 'Map accounts to ConnectWise companies on the Accounts screen.',
  },
  active: {
    label: 'Active',
    explain: 'Setup is finished; AppRiver usage is synced on schedule.',
    next: 'Review differences on the Usage screen.',
  },
  reauth_required: {
    label: 'Reauthorization required',
    explain: 'AppRiver no longer accepts our sign-in.',
    next: 'Click Reconnect and sign in to AppRiver again.',
  },
  error: {
    label: 'Error',
    explain: 'AppRiver answered with an error.',
    next: 'Read the message below, fix it, then Reconnect.',
  },
};

const OAUTH_ERRORS: Record<string, string> = {
  access_denied:
    'AppRiver sign-in was cancelled or refused. The AppRiver user needs the Customer Portal Administrator permission and the Billing role; then click Authenticate again.',
  invalid_client:
    'AppRiver refused the Client ID or Client Secret. Copy them again from Partner Services > Partner Integrations > API credentials management (regenerate the secret if needed), save, and Authenticate.',
  invalid_scope: 'AppRiver refused the requested scope. Check APPRIVER_SCOPE.',
  unknown: 'This sign-in link is not valid. Close this window and click Authenticate again.',
  replayed: 'This sign-in link was already used. Close this window and click Authenticate again.',
  expired:
    'This sign-in link expired (links last 10 minutes). Close this window and click Authenticate again.',
};

export interface CallbackOutcome {
  ok: boolean;
  message: string;
}

@Injectable()
export class ConnectionService {
  private readonly logger = new Logger('AppRiverConnection');
  private readonly store: OneTimeStateStore;

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly tokens: TokensService,
    private readonly importer: ImportService,
    private readonly audit: AuditService,
    @InjectRepository(OAuthState) private readonly states: Repository<OAuthState>,
    @Inject(PUBLIC_ORIGIN) private readonly publicOrigin: PublicOrigin,
  ) {
    this.store = new OneTimeStateStore(states);
  }

  async status(tenantId: number) {
    const c = await this.connections.get(tenantId);
    const counts = await this.importer.counts(tenantId);
    const text = STATUS_TEXT[c.status];
    return {
      status: c.status,
      label: text.label,
      explanation: text.explain,
      nextStep: text.next,
      message: c.message,
      accounts: counts.accounts,
      services: counts.services,
      lastImportAt: c.lastImportAt,
      clientId: c.clientId,
      secretSet: Boolean(c.clientSecret),
      connected: Boolean(c.refreshToken),
    };
  }

  async saveCredentials(member: MemberClaims, dto: CredentialsDto) {
    const c = await this.connections.get(member.tenantId);
    const secret = dto.clientSecret?.trim();
    if (!secret && !c.clientSecret)
      throw badRequest(
        'SECRET_REQUIRED',
        'Enter the Client Secret shown when the AppRiver credentials were generated.',
      );
    const changed = c.clientId !== dto.clientId.trim() || Boolean(secret);
    await this.connections.repo.save({
      ...c,
      clientId: dto.clientId.trim(),
      clientSecret: secret || c.clientSecret,
      ...(changed
        ? {
            accessToken: null,
            refreshToken: null,
            accessTokenExpiresAt: null,
            status: 'not_connected' as const,
            message: null,
          }
        : {}),
    });
    await this.audit.record({
      tenantId: member.tenantId,
      actor: member.memberId,
      action: 'appriver_credentials_saved',
      entity: 'appriver_connection',
      before: { clientId: c.clientId, secretSet: Boolean(c.clientSecret) },
      after: { clientId: dto.clientId.trim(), secretSet: true, secretChanged: Boolean(secret) },
    });
    return this.status(member.tenantId);
  }

  /** A one-time ticket for the pop-up: the bearer token never travels in a URL. */
  async authorize(member: MemberClaims): Promise<{ url: string }> {
    const c = await this.connections.get(member.tenantId);
    if (!c.clientId || !c.clientSecret)
      throw badRequest('NO_CREDENTIALS', 'Save the Client ID and Client Secret first.');
    await this.states.delete({ tenantId: member.tenantId, expiresAt: LessThan(new Date()) });
    const ticket = randomBytes(24).toString('base64url');
    await this.states.save(
      this.states.create({
        tenantId: member.tenantId,
        memberId: member.memberId,
        state: randomBytes(24).toString('base64url'),
        ticket,
        expiresAt: new Date(Date.now() + STATE_TTL_MS),
      }),
    );
    await this.connections.setStatus(member.tenantId, 'authorizing', null);
    return { url: `${this.publicOrigin()}/appriver/oauth/start?ticket=${ticket}` };
  }

  async disconnect(member: MemberClaims) {
    await this.connections.repo.update(
      { tenantId: member.tenantId },
      {
        accessToken: null,
        refreshToken: null,
        accessTokenExpiresAt: null,
        status: 'not_connected',
        message: null,
      },
    );
    await this.audit.record({
      tenantId: member.tenantId,
      actor: member.memberId,
      action: 'appriver_disconnected',
      entity: 'appriver_connection',
    });
    return this.status(member.tenantId);
  }

  /** The pop-up's first stop: trades the ticket for a redirect to AppRiver's sign-in. */
  async start(
    ticket: string,
    req: Request,
    res: Response,
    next: NextFunction,
  ): Promise<CallbackOutcome | null> {
    const row = ticket ? await this.states.findOne({ where: { ticket } }) : null;
    if (!row || row.ticketUsedAt || row.expiresAt.getTime() < Date.now()) {
      return {
        ok: false,
        message: OAUTH_ERRORS[!row ? 'unknown' : row.ticketUsedAt ? 'replayed' : 'expired'],
      };
    }
    await this.states.update({ id: row.id }, { ticketUsedAt: new Date() });
    const strategy = await this.strategy(row.tenantId);
    (req as Request & { oauthState?: string }).oauthState = row.state;
    passport.authenticate(strategy, { session: false })(req, res, next);
    return null;
  }

  /** AppRiver's redirect back: checks the state, exchanges the code, stores the tokens and starts the import. */
  async callback(req: Request, res: Response): Promise<CallbackOutcome> {
    const q = req.query as Record<string, string | undefined>;
    const row = q.state ? await this.states.findOne({ where: { state: q.state } }) : null;
    if (!row) return { ok: false, message: OAUTH_ERRORS.unknown };
    if (q.error) {
      await this.store.consume(row.state);
      return this.fail(
        row.tenantId,
        row.memberId,
        OAUTH_ERRORS[q.error] ?? `AppRiver refused the sign-in (${q.error}): ${q.error_description ?? ''}`,
      );
    }
    const strategy = await this.strategy(row.tenantId);
    const outcome = await new Promise<{ tokens?: ArTokenSet; problem?: string; error?: unknown }>(
      (resolve) => {
        passport.authenticate(
          strategy,
          { session: false },
          (error: unknown, tokens: ArTokenSet | false, info?: { message?: string }) =>
            resolve(error ? { error } : tokens ? { tokens } : { problem: info?.message ?? 'unknown' }),
        )(req, res, (error: unknown) => resolve({ error }));
      },
    );
    if (outcome.problem) {
      // A replayed or expired state says nothing about the connection itself: only the pop-up hears about it.
      const message = OAUTH_ERRORS[outcome.problem] ?? OAUTH_ERRORS.unknown;
      if (outcome.problem !== 'replayed')
        await this.connections.repo.update(
          { tenantId: row.tenantId, status: 'authorizing' },
          { status: 'not_connected', message },
        );
      return { ok: false, message };
    }
    if (outcome.error || !outcome.tokens) {
      const cause = (outcome.error as { oauthError?: unknown })?.oauthError ?? outcome.error;
      const kind = cause instanceof AppRiverError ? cause.kind : null;
      const message =
        kind && OAUTH_ERRORS[kind]
          ? OAUTH_ERRORS[kind]
          : `AppRiver did not complete the sign-in: ${(cause as Error)?.message ?? 'unknown error'}`;
      return this.fail(row.tenantId, row.memberId, message);
    }
    await this.tokens.storeGrant(row.tenantId, outcome.tokens);
    await this.connections.setStatus(row.tenantId, 'importing', null);
    await this.audit.record({
      tenantId: row.tenantId,
      actor: row.memberId,
      action: 'appriver_connected',
      entity: 'appriver_connection',
      summary: 'Authorized through Secure Cloud IDP',
    });
    this.startImport(row.tenantId);
    return {
      ok: true,
      message: 'AppRiver is connected. Accounts and services are being imported: you can close this window.',
    };
  }

  /** Fire and forget: the status card shows the counts growing and the outcome. */
  startImport(tenantId: number): void {
    this.importer.run(tenantId).catch(async (error) => {
      const reauth =
        error instanceof AppRiverError && (error.kind === 'invalid_grant' || error.kind === 'invalid_client');
      this.logger.warn(`Import for tenant ${tenantId} failed: ${(error as Error).message}`);
      if (!reauth)
        await this.connections.setStatus(
          tenantId,
          'error',
          `The import from AppRiver failed: ${(error as Error).message}. Click Refresh status to retry later, or Reconnect.`,
        );
    });
  }

  private async fail(tenantId: number, memberId: string, message: string): Promise<CallbackOutcome> {
    const c = await this.connections.get(tenantId);
    await this.connections.setStatus(
      tenantId,
      c.refreshToken ? (c.status === 'authorizing' ? 'reauth_required' : c.status) : 'not_connected',
      message,
    );
    await this.audit.record({
      tenantId,
      actor: memberId,
      action: 'appriver_authorize_failed',
      entity: 'appriver_connection',
      summary: message,
    });
    return { ok: false, message };
  }

  private async strategy(tenantId: number): Promise<AppRiverStrategy> {
    const c = await this.connections.get(tenantId);
    if (!c.clientId || !c.clientSecret)
      throw new AppError(400, 'NO_CREDENTIALS', 'Save the Client ID and Client Secret first.');
    const e = this.tokens.endpoints;
    return new AppRiverStrategy({
      authorizationURL: `${e.authBaseUrl}${e.authorizePath}`,
      tokenURL: `${e.authBaseUrl}${e.tokenPath}`,
      clientID: c.clientId,
      clientSecret: c.clientSecret,
      callbackURL: `${this.publicOrigin()}${manifest().oauth.callbackPath}`,
      scope: e.scope,
      store: this.store,
      oauth: this.tokens.oauth(),
    });
  }
}
