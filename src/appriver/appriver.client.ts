import { Limiter, limiter, parseRetryAfter, retry, RetryPolicy } from '../common/http-retry';
import { networkError } from './appriver-oauth.client';
import { AppRiverError, errorFromResponse } from './appriver.errors';
import type { ArCustomer, ArSubscription, ArSubscriptionDetail } from './appriver.types';

export interface AppRiverClientOptions {
  /** e.g. https://unityapi.webrootcloudav.com/service/api/securecloud */
  apiBaseUrl: string;
  /** Customers per page; AppRiver refuses anything outside 10..1000, so it is clamped. */
  pageSize: number;
  /** Requests in flight at once (ignored when `limit` is given). */
  concurrency: number;
  /** The current access token (the caller refreshes it ahead of expiry). */
  getAccessToken: () => Promise<string>;
  /** Forces a refresh after a 401; the call is then retried once with the new token. */
  onUnauthorized?: () => Promise<string>;
  fetch?: typeof fetch;
  /** A limiter shared by every client of one AppRiver connection. */
  limit?: Limiter;
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 500, maxDelayMs: 8000, maxTotalMs: 60000 };
// Characters proxies in front of IIS-style servers tend to decode or refuse even when percent-encoded.
const FRAGILE_KEY = /[/\\%]/;

type Json = Record<string, unknown>;

/**
 * The Secure Cloud resources the import needs: customers, their subscriptions and each subscription's
 * quantities. Never answers "nothing" for a failure: an empty, HTML or wrongly shaped body is an error, because
 * the reconciliation would read an empty list as "everything cancelled".
 */
export class AppRiverClient {
  /** HTTP attempts per operation (retries and the post-401 retry included). */
  readonly counters: Record<string, number> = {};
  private readonly base: string;
  private readonly limit: Limiter;
  private readonly fetchFn: typeof fetch;
  private readonly policy: RetryPolicy;
  private renewal: Promise<string> | null = null;

  constructor(private readonly options: AppRiverClientOptions) {
    this.base = options.apiBaseUrl.replace(/\/+$/, '');
    this.limit = options.limit ?? limiter(Math.max(1, Math.floor(options.concurrency)));
    this.fetchFn = options.fetch ?? fetch;
    this.policy = { ...DEFAULT_RETRY, ...options.retry };
  }

  /**
   * Every customer, paged by `Links.NextPageOffset` (AppRiver sends `Links: {}` on the last page) with
   * `Meta.Page.Total` and a short page as fallbacks. Closed customers only when asked for.
   */
  async listCustomers(options: { includeClosed?: boolean } = {}): Promise<ArCustomer[]> {
    let limit = clampPageSize(this.options.pageSize);
    let offset = 0;
    const byId = new Map<string, ArCustomer>();
    for (;;) {
      const query = new URLSearchParams({ limit: String(limit), offset: String(offset) });
      if (options.includeClosed) query.set('includeClosedCustomers', 'true');
      const page = await this.call('listCustomers', 'GET', `/customers?${query}`, parseCustomersPage);
      let added = 0;
      for (const customer of page.customers) {
        if (!byId.has(customer.customerId)) {
          byId.set(customer.customerId, customer);
          added++;
        }
      }
      if (page.customers.length === 0) break;
      if (page.total !== null && byId.size >= page.total) break;
      // A server that ignores offset would otherwise send the same page forever.
      if (added === 0) {
        throw new AppRiverError(
          'listCustomers',
          200,
          'bad_body',
          `The page at offset ${offset} repeated earlier customers`,
        );
      }
      if (page.next) {
        if (page.next.offset <= offset) {
          throw new AppRiverError(
            'listCustomers',
            200,
            'bad_body',
            `The next page offset ${page.next.offset} does not advance past ${offset}`,
          );
        }
        offset = page.next.offset;
        if (page.next.limit !== null) limit = clampPageSize(page.next.limit);
        continue;
      }
      // Links present but empty is AppRiver's "last page"; without any Links, a short page ends the list.
      if (page.hasLinks || page.customers.length < limit) break;
      offset += page.customers.length;
    }
    return [...byId.values()];
  }

  async getCustomer(customerId: string): Promise<ArCustomer> {
    return this.call('getCustomer', 'GET', `/customers/${encodeURIComponent(customerId)}`, (body) =>
      parseCustomer(body),
    );
  }

  /**
   * A customer's subscriptions, enveloped (`{"Subscriptions":[…]}`) or as a bare array; both empty forms are a
   * real "none". Pass the customer's type so a Referred customer's 403 reads as forbidden_referred whatever
   * wording AppRiver uses (in production the refusal matches CustomerType=Referred exactly).
   */
  async listSubscriptions(
    customerId: string,
    options: { customerType?: string | null } = {},
  ): Promise<ArSubscription[]> {
    try {
      return await this.call(
        'listSubscriptions',
        'GET',
        `/customers/${encodeURIComponent(customerId)}/subscriptions`,
        parseSubscriptions,
      );
    } catch (error) {
      throw referred(error, options.customerType);
    }
  }

  /** One subscription with its quantities; absent quantities are null, never 0. */
  async getSubscription(
    customerId: string,
    subscriptionKey: string,
    options: { customerType?: string | null } = {},
  ): Promise<ArSubscriptionDetail> {
    const path = (key: string) =>
      `/customers/${encodeURIComponent(customerId)}/subscriptions/${encodeURIComponent(key)}`;
    const parse = (body: unknown) => parseDetail(body, subscriptionKey);
    try {
      return await this.call('getSubscription', 'GET', path(subscriptionKey), parse);
    } catch (error) {
      // AppRiver also takes the key Base64-encoded; that is the fallback for a key a proxy mangled on the way.
      if (error instanceof AppRiverError && error.kind === 'not_found' && FRAGILE_KEY.test(subscriptionKey)) {
        const encoded = Buffer.from(subscriptionKey, 'utf8').toString('base64');
        try {
          return await this.call('getSubscription', 'GET', path(encoded), parse);
        } catch (retryError) {
          throw referred(retryError, options.customerType);
        }
      }
      throw referred(error, options.customerType);
    }
  }

  /** One HTTP call: bounded concurrency, retries on 429/5xx/network (and once on a bad body), one renewal on 401. */
  private call<T>(operation: string, method: string, path: string, parse: (body: unknown) => T): Promise<T> {
    return this.limit(() => {
      let badBodies = 0;
      return retry(() => this.attempt(operation, method, path, parse), {
        ...this.policy,
        shouldRetry: (error) => {
          if (!(error instanceof AppRiverError) || error.operation !== operation) return false;
          // A 200 with an empty or garbled body is retried once: a proxy hiccup heals, a persistent one fails
          // fast instead of burning the whole retry budget on an answer that will not change.
          if (error.kind === 'bad_body') return badBodies++ < 1 ? {} : false;
          if (error.kind === 'rate_limited' || error.kind === 'server' || error.kind === 'network') {
            return { afterMs: error.retryAfterMs ?? undefined };
          }
          return false;
        },
      });
    });
  }

  private async attempt<T>(
    operation: string,
    method: string,
    path: string,
    parse: (body: unknown) => T,
  ): Promise<T> {
    let token = await this.token(null);
    let res = await this.send(operation, method, path, token);
    if (res.status === 401 && this.options.onUnauthorized) {
      token = await this.token(token);
      res = await this.send(operation, method, path, token);
    }
    if (res.status < 200 || res.status >= 300) {
      throw errorFromResponse(operation, 'resource', res.status, res.text, res.retryAfterMs);
    }
    const text = res.text.trim();
    if (!text) throw new AppRiverError(operation, res.status, 'bad_body', 'The response body is empty.');
    if (text.startsWith('<'))
      throw new AppRiverError(operation, res.status, 'bad_body', 'The response is HTML, not JSON.');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new AppRiverError(operation, res.status, 'bad_body', 'The response is not valid JSON.');
    }
    try {
      return parse(body);
    } catch (error) {
      if (error instanceof ShapeError)
        throw new AppRiverError(operation, res.status, 'bad_body', error.message);
      throw error;
    }
  }

  /**
   * The token to use; `stale` = the one that just got a 401. Renewal is single-flight, and a caller whose token
   * was already replaced by a concurrent renewal just takes the new one instead of forcing another refresh
   * (each refresh rotates the refresh token).
   */
  private async token(stale: string | null): Promise<string> {
    // Errors from here (e.g. invalid_grant from the refresh) carry another operation name, so `call` does not
    // retry them: the token refresh has its own retries.
    if (stale === null) return this.options.getAccessToken();
    if (!this.renewal) {
      const onUnauthorized = this.options.onUnauthorized!;
      this.renewal = (async () => {
        const current = await this.options.getAccessToken();
        return current !== stale ? current : onUnauthorized();
      })().finally(() => (this.renewal = null));
    }
    return this.renewal;
  }

  private async send(
    operation: string,
    method: string,
    path: string,
    token: string,
  ): Promise<{ status: number; text: string; retryAfterMs: number | undefined }> {
    this.counters[operation] = (this.counters[operation] ?? 0) + 1;
    try {
      const res = await this.fetchFn(`${this.base}${path}`, {
        method,
        headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
        redirect: 'manual',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 30000),
      });
      const text = await res.text();
      return { status: res.status, text, retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) };
    } catch (error) {
      throw networkError(operation, error);
    }
  }
}

export function clampPageSize(pageSize: number): number {
  if (!Number.isFinite(pageSize)) return 100;
  return Math.min(1000, Math.max(10, Math.floor(pageSize)));
}

function referred(error: unknown, customerType: string | null | undefined): unknown {
  if (
    error instanceof AppRiverError &&
    error.kind === 'forbidden' &&
    customerType?.toLowerCase() === 'referred'
  ) {
    return new AppRiverError(error.operation, error.status, 'forbidden_referred', error.detail);
  }
  return error;
}

/** A body that parsed but does not have the expected shape; becomes a bad_body AppRiverError. */
class ShapeError extends Error {}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** PascalCase as documented, camelCase tolerated. */
function field(obj: Json, name: string): unknown {
  if (name in obj) return obj[name];
  const camel = name[0].toLowerCase() + name.slice(1);
  return obj[camel];
}

function optionalString(obj: Json, name: string): string | null {
  const v = field(obj, name);
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(v);
  throw new ShapeError(`${name} is not a string`);
}

function requiredString(obj: Json, name: string, what: string): string {
  const v = optionalString(obj, name);
  if (v === null) throw new ShapeError(`A ${what} has no ${name}.`);
  return v;
}

function bool(obj: Json, name: string): boolean {
  const v = field(obj, name);
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.toLowerCase() === 'true';
  return false;
}

function parseCustomer(raw: unknown): ArCustomer {
  if (!isObject(raw)) throw new ShapeError('A customer is not an object.');
  return {
    customerId: requiredString(raw, 'CustomerId', 'customer'),
    customerNumber: optionalString(raw, 'CustomerNumber'),
    name: requiredString(raw, 'Name', 'customer'),
    customerType: optionalString(raw, 'CustomerType'),
    isClosed: bool(raw, 'IsClosed'),
    externalAccountNumber: optionalString(raw, 'ExternalCustomerAccountNumber'),
    website: optionalString(raw, 'Website'),
  };
}

function optionalInt(obj: Json | undefined, name: string): number | null {
  if (!obj) return null;
  const v = field(obj, name);
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\s*\d+\s*$/.test(v)) return Number(v);
  return null;
}

function parseCustomersPage(body: unknown): {
  customers: ArCustomer[];
  total: number | null;
  hasLinks: boolean;
  next: { offset: number; limit: number | null } | null;
} {
  if (!isObject(body)) throw new ShapeError('The customer list is not an object.');
  const list = field(body, 'Customers');
  if (!Array.isArray(list)) throw new ShapeError('The customer list has no Customers array.');
  const links = field(body, 'Links');
  const meta = field(body, 'Meta');
  const page = isObject(meta) ? field(meta, 'Page') : undefined;
  const nextOffset = isObject(links) ? optionalInt(links, 'NextPageOffset') : null;
  return {
    customers: list.map(parseCustomer),
    total: isObject(page) ? optionalInt(page, 'Total') : null,
    hasLinks: isObject(links),
    next:
      nextOffset === null ? null : { offset: nextOffset, limit: optionalInt(links as Json, 'NextPageLimit') },
  };
}

function parseSubscription(raw: unknown): ArSubscription {
  if (!isObject(raw)) throw new ShapeError('A subscription is not an object.');
  return {
    subscriptionKey: requiredString(raw, 'SubscriptionKey', 'subscription'),
    productName: requiredString(raw, 'ProductName', 'subscription'),
    status: optionalString(raw, 'SubscriptionStatus'),
    isTrial: bool(raw, 'IsTrial'),
    term: optionalString(raw, 'SubscriptionTerm'),
    frequency: optionalString(raw, 'BillingFrequency'),
  };
}

function parseSubscriptions(body: unknown): ArSubscription[] {
  // Both shapes are seen in production; `{}` is neither and must not read as "no subscriptions".
  const list = Array.isArray(body) ? body : isObject(body) ? field(body, 'Subscriptions') : undefined;
  if (!Array.isArray(list))
    throw new ShapeError('The subscription list is neither an array nor {"Subscriptions":[...]}.');
  return list.map(parseSubscription);
}

/** Name/Value entries → a map by lower-cased name. */
function details(raw: Json, name: string): Map<string, unknown> {
  const list = field(raw, name);
  const out = new Map<string, unknown>();
  if (list === undefined || list === null) return out;
  if (!Array.isArray(list)) throw new ShapeError(`${name} is not a list.`);
  for (const entry of list) {
    if (!isObject(entry)) continue;
    const key = field(entry, 'Name');
    if (typeof key === 'string') out.set(key.toLowerCase(), field(entry, 'Value'));
  }
  return out;
}

function quantity(maps: Map<string, unknown>[], name: string): number | null {
  const found = maps.find((m) => m.has(name.toLowerCase()));
  const v = found?.get(name.toLowerCase());
  if (v === undefined || v === null || v === '') return null;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(v)) return Number(v);
  throw new ShapeError(`${name} is not a number.`);
}

function parseDetail(body: unknown, requestedKey: string): ArSubscriptionDetail {
  let raw = body;
  // Tolerate a detail wrapped like the list, as one public client has seen.
  if (isObject(raw) && Array.isArray(field(raw, 'Subscriptions'))) {
    const list = field(raw, 'Subscriptions') as unknown[];
    if (list.length !== 1) throw new ShapeError('The subscription detail holds several subscriptions.');
    raw = list[0];
  }
  if (!isObject(raw)) throw new ShapeError('The subscription detail is not an object.');
  const configurable = details(raw, 'ConfigurableSubscriptionDetails');
  const readonly = details(raw, 'ReadonlySubscriptionDetails');
  const commitment = readonly.get('commitmentenddate');
  return {
    subscriptionKey: optionalString(raw, 'SubscriptionKey') ?? requestedKey,
    productName: requiredString(raw, 'ProductName', 'subscription detail'),
    status: optionalString(raw, 'SubscriptionStatus'),
    isTrial: bool(raw, 'IsTrial'),
    term: optionalString(raw, 'SubscriptionTerm'),
    frequency: optionalString(raw, 'BillingFrequency'),
    quantity: quantity([configurable, readonly], 'SubscriptionQuantity'),
    totalLicenses: quantity([readonly, configurable], 'TotalLicenses'),
    assignedLicenses: quantity([readonly, configurable], 'AssignedLicenses'),
    unassignedLicenses: quantity([readonly, configurable], 'UnassignedLicenses'),
    commitmentEndDate: typeof commitment === 'string' && commitment ? commitment : null,
    domain: optionalString(raw, 'Domain'),
  };
}
