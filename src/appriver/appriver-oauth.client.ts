import type { AppConfig } from '../config/config';
import { parseRetryAfter, retry, RetryPolicy } from '../common/http-retry';
import { AppRiverError, errorFromResponse } from './appriver.errors';
import type { ArTokenSet, ArWireTokenResponse } from './appriver.types';

export interface AppRiverOAuthOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  retry?: Partial<RetryPolicy>;
}

// The documented access-token lifetime, used only when a response leaves expires_in out.
const DEFAULT_EXPIRES_IN_SECONDS = 300;
const NEVER_CONNECTED = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH/;

/**
 * The authorization-code and refresh-token grants at AppRiver's /auth/token (Unity API). Stateless: storing the
 * tokens, and making sure only one refresh per connection runs at a time, is the caller's job — AppRiver rotates
 * the refresh token on every refresh, so two concurrent refreshes would kill the connection.
 */
export class AppRiverOAuthClient {
  /** HTTP attempts per operation (`exchangeCode`, `refresh`). */
  readonly counters: Record<string, number> = {};
  private readonly fetchFn: typeof fetch;

  constructor(
    private readonly endpoints: Pick<
      AppConfig['appriver'],
      'authBaseUrl' | 'authorizePath' | 'tokenPath' | 'scope' | 'clientAuth'
    >,
    private readonly options: AppRiverOAuthOptions = {},
  ) {
    this.fetchFn = options.fetch ?? fetch;
  }

  /** Where to send the browser. The scope is never `*`: AppRiver refuses wildcards on IDP flows. */
  authorizeUrl(input: { clientId: string; redirectUri: string; state: string }): string {
    const query = new URLSearchParams({
      response_type: 'code',
      client_id: input.clientId,
      redirect_uri: input.redirectUri,
      scope: this.endpoints.scope,
      state: input.state,
    });
    return `${this.endpoints.authBaseUrl}${this.endpoints.authorizePath}?${query}`;
  }

  async exchangeCode(input: {
    clientId: string;
    clientSecret: string;
    code: string;
    redirectUri: string;
  }): Promise<ArTokenSet> {
    // redirect_uri is not in AppRiver's table for this call, but RFC 6749 §4.1.3 requires it and AppRiver accepts it.
    const body = await this.token('exchangeCode', input, {
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: input.redirectUri,
    });
    if (!body.refresh_token) {
      throw new AppRiverError('exchangeCode', 200, 'bad_body', 'The token response has no refresh token');
    }
    return this.toTokenSet(body, body.refresh_token);
  }

  async refresh(input: {
    clientId: string;
    clientSecret: string;
    refreshToken: string;
  }): Promise<ArTokenSet> {
    const body = await this.token('refresh', input, {
      grant_type: 'refresh_token',
      refresh_token: input.refreshToken,
    });
    // AppRiver rotates the refresh token on every refresh. Should an answer ever lack one, the old token is
    // kept (RFC 6749 §6 allows the server to keep it): failing here would throw away a valid access token,
    // and if the old one is in fact dead the next refresh says so with invalid_grant, which asks for a reconnect.
    return this.toTokenSet(body, body.refresh_token || input.refreshToken);
  }

  private toTokenSet(body: ArWireTokenResponse, refreshToken: string): ArTokenSet {
    const raw = body.expires_in;
    const seconds =
      typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
    const expiresIn = Number.isFinite(seconds) && seconds > 0 ? seconds : DEFAULT_EXPIRES_IN_SECONDS;
    return {
      accessToken: body.access_token,
      refreshToken,
      expiresAt: new Date(Date.now() + expiresIn * 1000),
      scope: typeof body.scope === 'string' && body.scope ? body.scope : this.endpoints.scope,
    };
  }

  private async token(
    operation: string,
    client: { clientId: string; clientSecret: string },
    params: Record<string, string>,
  ): Promise<ArWireTokenResponse> {
    const form = new URLSearchParams({ ...params, scope: this.endpoints.scope });
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded',
      Accept: 'application/json',
    };
    if (this.endpoints.clientAuth === 'body') {
      form.set('client_id', client.clientId);
      form.set('client_secret', client.clientSecret);
    } else {
      // Sent as is, not form-encoded first: that is what the clients proven against production do.
      headers.Authorization = `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`;
    }
    const policy = {
      attempts: 3,
      baseDelayMs: 250,
      maxDelayMs: 2000,
      maxTotalMs: 15000,
      ...this.options.retry,
    };
    return retry(() => this.attempt(operation, headers, form.toString()), {
      ...policy,
      // Only answers that say the server did nothing (429, 5xx) and connections that never reached it are
      // retried. An empty or garbled 200, or a connection lost mid-request, is not: the server may already have
      // rotated the refresh token (or spent the code), so a retry would only earn invalid_grant and hide the cause.
      shouldRetry: (error) =>
        error instanceof AppRiverError &&
        (error.kind === 'rate_limited' ||
          error.kind === 'server' ||
          (error.kind === 'network' && NEVER_CONNECTED.test(error.detail ?? '')))
          ? { afterMs: error.retryAfterMs ?? undefined }
          : false,
    });
  }

  private async attempt(
    operation: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<ArWireTokenResponse> {
    this.counters[operation] = (this.counters[operation] ?? 0) + 1;
    const url = `${this.endpoints.authBaseUrl}${this.endpoints.tokenPath}`;
    let res: Response;
    let text: string;
    try {
      res = await this.fetchFn(url, {
        method: 'POST',
        headers,
        body,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30000),
      });
      text = await res.text();
    } catch (error) {
      throw networkError(operation, error);
    }
    if (res.status < 200 || res.status >= 300) {
      throw errorFromResponse(
        operation,
        'token',
        res.status,
        text,
        parseRetryAfter(res.headers.get('retry-after')),
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AppRiverError(
        operation,
        res.status,
        'bad_body',
        text.trim() ? 'The token response is not JSON' : 'The token response is empty',
      );
    }
    const token = parsed as Partial<ArWireTokenResponse> | null;
    if (
      !token ||
      typeof token !== 'object' ||
      typeof token.access_token !== 'string' ||
      !token.access_token
    ) {
      throw new AppRiverError(operation, res.status, 'bad_body', 'The token response has no access token');
    }
    if (token.token_type && token.token_type.toLowerCase() !== 'bearer') {
      throw new AppRiverError(operation, res.status, 'bad_body', `Unexpected token type ${token.token_type}`);
    }
    return token as ArWireTokenResponse;
  }
}

/** A failed connection or a timeout; the cause's code (ECONNREFUSED, TimeoutError) is safe to show. */
export function networkError(operation: string, error: unknown): AppRiverError {
  const err = error as { name?: string; code?: string; cause?: { code?: string } };
  const code =
    err?.cause?.code ?? err?.code ?? (err?.name === 'TimeoutError' ? 'timed out' : err?.name) ?? 'unknown';
  return new AppRiverError(operation, null, 'network', `(${code})`);
}
