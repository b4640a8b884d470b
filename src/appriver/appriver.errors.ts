export type AppRiverErrorKind =
  | 'unauthorized'
  | 'invalid_grant'
  | 'invalid_client'
  | 'forbidden_billing_role'
  | 'forbidden_referred'
  | 'forbidden'
  | 'not_found'
  | 'rate_limited'
  | 'server'
  | 'bad_body'
  | 'network'
  | 'bad_request';

const MESSAGES: Record<AppRiverErrorKind, string> = {
  unauthorized: 'AppRiver did not accept the access token. Reconnect AppRiver.',
  invalid_grant:
    'AppRiver no longer accepts the saved authorization (it expired, was revoked or was already used). Reconnect AppRiver.',
  invalid_client:
    'AppRiver rejected the Client ID or Client Secret. Check the API credentials in the AppRiver portal (Partner Integrations) and enter them again.',
  forbidden_billing_role:
    'The AppRiver user who connected does not have the Billing role, so subscriptions cannot be read. Give that user the Billing role in AppRiver and reconnect.',
  forbidden_referred:
    "AppRiver does not show this customer's subscriptions because the customer is referred, not resold by you.",
  forbidden: 'AppRiver denied access.',
  not_found: 'AppRiver did not find what was asked for.',
  rate_limited: 'AppRiver kept asking us to slow down. Try again in a few minutes.',
  server: 'AppRiver is having trouble answering. Try again later.',
  bad_body: 'AppRiver answered with an empty or unreadable response.',
  network: 'Could not reach AppRiver.',
  bad_request: 'AppRiver rejected the request.',
};

// Kinds whose fixed message says it all; the others gain the server's explanation.
const WITH_DETAIL = new Set<AppRiverErrorKind>([
  'forbidden',
  'not_found',
  'bad_request',
  'bad_body',
  'server',
  'network',
]);

/** Trims a server-provided explanation and masks anything that looks like a token before it reaches a message. */
export function safeDetail(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const clean = text
    .replace(/[A-Za-z0-9_~+/=.-]{40,}/g, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  if (!clean) return null;
  return clean.length > 300 ? `${clean.slice(0, 297)}...` : clean;
}

/**
 * Every failure of the AppRiver clients. The message is meant for people and never contains a token, a
 * secret or an authorization code; `detail` is the server's own explanation (error_description), trimmed.
 */
export class AppRiverError extends Error {
  constructor(
    readonly operation: string,
    readonly status: number | null,
    readonly kind: AppRiverErrorKind,
    readonly detail: string | null = null,
    /** From Retry-After, when the server sent one. */
    readonly retryAfterMs: number | null = null,
  ) {
    super(WITH_DETAIL.has(kind) && detail ? `${MESSAGES[kind]} ${detail}` : MESSAGES[kind]);
    this.name = 'AppRiverError';
  }

  /** The stored authorization is dead or the credentials are wrong: only a person can fix it by reconnecting. */
  get needsReconnect(): boolean {
    return this.kind === 'invalid_grant' || this.kind === 'invalid_client' || this.kind === 'unauthorized';
  }

  /** Worth another attempt later (the caller's retry loop decides how often). */
  get transient(): boolean {
    return this.kind === 'rate_limited' || this.kind === 'server' || this.kind === 'network';
  }
}

/** The OAuth error code, top-level or nested as a JSON string in error_description (AppRiver's dead-refresh-token quirk). */
export function oauthErrorCode(body: { error?: unknown; error_description?: unknown } | null): string | null {
  if (!body) return null;
  const description = body.error_description;
  if (typeof description === 'string') {
    const trimmed = description.trim();
    if (trimmed.startsWith('{')) {
      try {
        const nested = JSON.parse(trimmed) as { error?: unknown };
        if (typeof nested?.error === 'string' && nested.error !== body.error) return nested.error;
      } catch {
        // not JSON after all: fall through to the plain-text checks
      }
    }
    const named = /\b(invalid_grant|invalid_client)\b/.exec(trimmed);
    if (named && body.error === 'invalid_request') return named[1];
  }
  return typeof body.error === 'string' ? body.error : null;
}

/** Parses an error body if it is JSON; HTML from a proxy and empty bodies give null. */
export function parseErrorBody(text: string): Record<string, unknown> | null {
  if (!text.trim().startsWith('{')) return null;
  try {
    const parsed = JSON.parse(text) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** Turns a non-2xx answer into a typed error. `token` = the OAuth endpoint, `resource` = the Secure Cloud API. */
export function errorFromResponse(
  operation: string,
  endpoint: 'token' | 'resource',
  status: number,
  text: string,
  retryAfterMs: number | undefined,
): AppRiverError {
  const body = parseErrorBody(text);
  const description = body?.error_description ?? body?.Message ?? body?.message ?? body?.error;
  const detail = body
    ? safeDetail(description)
    : text.trim().startsWith('<')
      ? `HTTP ${status} with an HTML page instead of JSON`
      : (safeDetail(text) ?? `HTTP ${status}`);
  const make = (kind: AppRiverErrorKind) =>
    new AppRiverError(operation, status, kind, detail, retryAfterMs ?? null);
  if (status === 429) return make('rate_limited');
  if (status >= 500) return make('server');
  if (endpoint === 'token') {
    const code = oauthErrorCode(body as { error?: unknown; error_description?: unknown } | null);
    if (status === 401 || code === 'invalid_client') return make('invalid_client');
    if (code === 'invalid_grant') return make('invalid_grant');
    return make('bad_request');
  }
  if (status === 401) return make('unauthorized');
  if (status === 403) {
    // The real wording is undocumented; these match the simulator and the words AppRiver support uses.
    if (typeof description === 'string' && /billing role/i.test(description))
      return make('forbidden_billing_role');
    if (typeof description === 'string' && /referred/i.test(description)) return make('forbidden_referred');
    return make('forbidden');
  }
  if (status === 404) return make('not_found');
  return make('bad_request');
}
