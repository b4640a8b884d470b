import { Controller, Get, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SandboxFaults, SandboxStats, sleep } from '../faults';
import { sendFault } from './ar-sim.faults';
import { AuthorizeFlow, ArSimState, KNOWN_SCOPES } from './ar-sim.state';

/** A single string from a query or form value; repeated parameters count as missing. */
export function one(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

const PAGE_HEADERS = {
  // The real login page cannot be framed; the plugin has to open it in a popup or a new tab.
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy': "frame-ancestors 'none'",
  'Cache-Control': 'no-store',
};

/**
 * The simulated Secure Cloud IDP (research/appriver.md §2, §8.1): the browser pages of the authorization-code
 * flow (choose IDP → sign in → consent) and the token endpoint.
 */
@Controller('sandbox/appriver/auth')
export class ArAuthController {
  constructor(
    private readonly state: ArSimState,
    private readonly faults: SandboxFaults,
    private readonly stats: SandboxStats,
  ) {}

  @Get('authorize')
  authorize(@Req() req: Request, @Res() res: Response): void {
    const q = req.query;
    const clientId = one(q.client_id);
    const redirectUri = one(q.redirect_uri);
    // Before the client and its redirect URI are known to be good, errors are shown here, never redirected.
    if (!this.state.client(clientId)) {
      return this.errorPage(
        res,
        'Unknown application',
        'The application that sent you here is not registered (unknown client_id).',
      );
    }
    if (!redirectUri || !isAbsoluteHttpUrl(redirectUri)) {
      return this.errorPage(
        res,
        'Invalid redirect address',
        'The redirect_uri parameter must be an absolute http or https URL.',
      );
    }
    const state = one(q.state) ?? null;
    const fail = (error: string, description: string) =>
      res.redirect(302, withParams(redirectUri, { error, error_description: description, state }));
    if (one(q.response_type) !== 'code') {
      return fail('unsupported_response_type', 'Only response_type=code is supported.');
    }
    const scopes = (one(q.scope) ?? '').split(/\s+/).filter(Boolean);
    if (scopes.includes('*')) {
      return fail(
        'invalid_scope',
        'Wildcard scope (*) is not supported for identity providers (IDPs). Request the scopes explicitly.',
      );
    }
    const unknown = scopes.filter((s) => !KNOWN_SCOPES.includes(s));
    if (unknown.length) return fail('invalid_scope', `Unknown scope: ${unknown.join(' ')}`);
    const flow = this.state.startFlow({
      clientId: clientId!,
      redirectUri,
      scope: scopes.length ? scopes.join(' ') : KNOWN_SCOPES[0],
      state,
    });
    this.page(res, 'choose-idp', { title: 'Choose an identity provider', flow: flow.id, clientId });
  }

  @Post('idp')
  chooseIdp(@Req() req: Request, @Res() res: Response): void {
    const flow = this.flowAt(req, res, 'idp');
    if (!flow) return;
    if (one(req.body?.idp) !== 'securecloud') {
      return this.page(res, 'choose-idp', {
        title: 'Choose an identity provider',
        flow: flow.id,
        clientId: flow.clientId,
        error: 'Only the OpenText Secure Cloud IDP can be used for this sign-in.',
      });
    }
    flow.step = 'signin';
    this.page(res, 'sign-in', { title: 'Sign in', flow: flow.id });
  }

  @Post('signin')
  signIn(@Req() req: Request, @Res() res: Response): void {
    const flow = this.flowAt(req, res, 'signin');
    if (!flow) return;
    const username = (one(req.body?.username) ?? '').trim();
    const user = this.state.user(username);
    if (!user || user.password !== one(req.body?.password)) {
      return this.page(res, 'sign-in', {
        title: 'Sign in',
        flow: flow.id,
        username,
        error: 'The email address or password is incorrect.',
      });
    }
    if (!user.roles.includes('Customer_Portal_Administrator')) {
      this.state.endFlow(flow);
      return res.redirect(
        302,
        withParams(flow.redirectUri, {
          error: 'access_denied',
          error_description:
            'The user does not have the Customer Portal Administrator permission required to authorize API access.',
          state: flow.state,
        }),
      );
    }
    flow.step = 'consent';
    flow.username = user.username;
    this.page(res, 'consent', {
      title: 'Authorize access',
      flow: flow.id,
      clientId: flow.clientId,
      username: user.username,
      scopes: flow.scope.split(' '),
    });
  }

  @Post('consent')
  consent(@Req() req: Request, @Res() res: Response): void {
    const flow = this.flowAt(req, res, 'consent');
    if (!flow) return;
    if (one(req.body?.decision) !== 'continue') {
      this.state.endFlow(flow);
      return res.redirect(
        302,
        withParams(flow.redirectUri, {
          error: 'access_denied',
          error_description: 'The user denied the request',
          state: flow.state,
        }),
      );
    }
    const code = this.state.issueCode(flow);
    res.redirect(302, withParams(flow.redirectUri, { code, state: flow.state }));
  }

  /** RFC 6749 token endpoint: authorization_code and refresh_token grants, client auth by Basic or body. */
  @Post('token')
  async token(@Req() req: Request, @Res() res: Response): Promise<void> {
    this.stats.count('appriver', 'POST /auth/token');
    // The one-off malformed bodies target the resource API: a token endpoint answers with a token or an error.
    const { latencyMs, fault } = this.faults.next('appriver', { bodyFaults: false });
    if (latencyMs) await sleep(latencyMs);
    res.set({ 'Cache-Control': 'no-store', Pragma: 'no-cache' });
    // A fault answers before the grant is processed: the code or refresh token is still good afterwards.
    if (fault) return sendFault(res, fault);
    const oauthError = (status: number, error: string, description: string) =>
      void res.status(status).json({ error, error_description: description });
    if (!req.is('application/x-www-form-urlencoded')) {
      return oauthError(400, 'invalid_request', 'The request must be application/x-www-form-urlencoded.');
    }
    const body = (req.body ?? {}) as Record<string, unknown>;
    const client = this.authenticateClient(
      req.get('authorization'),
      one(body.client_id),
      one(body.client_secret),
    );
    if (!client) {
      res.set('WWW-Authenticate', 'Basic realm="unityapi"');
      return oauthError(401, 'invalid_client', 'Client authentication failed');
    }
    const grantType = one(body.grant_type);
    const scope = one(body.scope);
    if (grantType === 'authorization_code') {
      const code = one(body.code);
      if (!code) return oauthError(400, 'invalid_request', 'The code parameter is required.');
      if (!scope) return oauthError(400, 'invalid_request', 'The scope parameter is required.');
      if (scope.split(/\s+/).includes('*')) {
        return oauthError(
          400,
          'invalid_scope',
          'Wildcard scope (*) is not supported for identity providers (IDPs).',
        );
      }
      const grant = this.state.redeemCode(code, client.clientId, one(body.redirect_uri));
      if (grant === 'invalid') {
        return oauthError(
          400,
          'invalid_grant',
          'The authorization code is invalid, expired or already used.',
        );
      }
      if (!withinGrant(scope, grant.scope))
        return oauthError(400, 'invalid_scope', 'The scope exceeds what was authorized.');
      return void res.status(200).json(this.state.issueTokens(grant));
    }
    if (grantType === 'refresh_token') {
      const refreshToken = one(body.refresh_token);
      if (!refreshToken)
        return oauthError(400, 'invalid_request', 'The refresh_token parameter is required.');
      if (!scope) return oauthError(400, 'invalid_request', 'The scope parameter is required.');
      const grant = this.state.redeemRefreshToken(refreshToken, client.clientId);
      // AppRiver's quirk, seen live: the real error is nested as a JSON string inside error_description.
      if (grant === 'invalid')
        return oauthError(400, 'invalid_request', JSON.stringify({ error: 'invalid_grant' }));
      if (!withinGrant(scope, grant.scope))
        return oauthError(400, 'invalid_scope', 'The scope exceeds what was authorized.');
      return void res.status(200).json(this.state.issueTokens(grant));
    }
    oauthError(400, 'unsupported_grant_type', 'The grant_type is not supported.');
  }

  private authenticateClient(
    authorization: string | undefined,
    bodyId: string | undefined,
    bodySecret: string | undefined,
  ) {
    let id = bodyId;
    let secret = bodySecret;
    const basic = /^Basic\s+(\S+)$/i.exec(authorization ?? '');
    if (basic) {
      const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon < 0) return undefined;
      const [basicId, basicSecret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
      // Some libraries also copy client_id into the body; that is fine as long as it names the same client.
      if (bodyId !== undefined && bodyId !== basicId && safeDecode(bodyId) !== safeDecode(basicId))
        return undefined;
      id = basicId;
      secret = basicSecret;
    }
    if (id === undefined || secret === undefined) return undefined;
    // RFC 6749 §2.3.1 form-encodes both parts before Base64; clients that skip it are accepted too.
    const client = this.state.client(id) ?? this.state.client(safeDecode(id));
    if (!client) return undefined;
    return client.clientSecret === secret || client.clientSecret === safeDecode(secret) ? client : undefined;
  }

  private flowAt(req: Request, res: Response, step: AuthorizeFlow['step']): AuthorizeFlow | undefined {
    const flow = this.state.flow(req.body?.flow);
    if (!flow) {
      this.errorPage(
        res,
        'Sign-in expired',
        'This sign-in has expired or was already used. Start again from the application.',
      );
      return undefined;
    }
    if (flow.step !== step) {
      this.errorPage(
        res,
        'Sign-in out of order',
        'This page was submitted out of order. Start again from the application.',
      );
      return undefined;
    }
    return flow;
  }

  private page(res: Response, view: string, locals: Record<string, unknown>, status = 200): void {
    res
      .status(status)
      .set(PAGE_HEADERS)
      .render(`sandbox/appriver/${view}`, { layout: 'sandbox/appriver/layout', ...locals });
  }

  private errorPage(res: Response, heading: string, message: string): void {
    this.page(res, 'error', { title: heading, heading, message }, 400);
  }
}

function isAbsoluteHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && !url.hash;
  } catch {
    return false;
  }
}

function withParams(base: string, params: Record<string, string | null>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) if (value !== null) url.searchParams.set(key, value);
  return url.toString();
}

function withinGrant(requested: string, granted: string): boolean {
  const allowed = new Set(granted.split(' '));
  return requested
    .split(/\s+/)
    .filter(Boolean)
    .every((s) => allowed.has(s));
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}
