import { ManageAPI } from 'connectwise-rest';
import { limiter, retry } from '../common/http-retry';
import { and, contains, eq, inChunks, or } from './conditions';
import { ConnectWiseError, CwFieldError } from './connectwise.errors';
import type {
  CwAddition,
  CwAgreement,
  CwCatalogItem,
  CwCompany,
  CwCompanyInfo,
  CwHostedScreen,
  CwHostedSetup,
  CwMemberInfo,
  CwMenuEntry,
  CwNewAddition,
  CwPatchOp,
  CwSecurityEntry,
  Page,
} from './connectwise.types';

/** Where the API lives and who we are there. `username`/`password` are an API member's keys or a member id + hash. */
export interface CwTarget {
  apiHost: string;
  codebase: string;
  companyId: string;
  username: string;
  password: string;
}

export interface CwClientOptions {
  clientId: string;
  apiVersion: string;
  /** `https://{host}` in production; the sandbox points the world's hosts at its simulator. */
  originFor: (host: string) => string;
  /** Shared per tenant so that all of a tenant's calls together stay under the bound. */
  limit: <T>(fn: () => Promise<T>) => Promise<T>;
  counters?: Record<string, number>;
  retry?: { attempts: number; baseDelayMs: number; maxDelayMs: number; maxTotalMs: number };
}

type AxiosLike = {
  defaults: { baseURL?: string };
  request(
    config: Record<string, unknown>,
  ): Promise<{ status: number; data: any; headers: Record<string, any> }>;
};

const MAX_PAGE = 1000;
const COMPANY_FIELDS = 'id,identifier,name,status,deletedFlag';
const AGREEMENT_FIELDS = 'id,name,type,company,agreementStatus,cancelledFlag';
const ADDITION_FIELDS =
  'id,product,quantity,unitPrice,unitCost,billCustomer,effectiveDate,cancelledDate,agreementId,_info';
const CATALOG_FIELDS = 'id,identifier,description,price,cost,inactiveFlag';

/**
 * The only code that talks to ConnectWise REST. It builds on connectwise-rest's ManageAPI (auth headers, Accept
 * version, clientId, base path) but sends through its axios instance directly: ManageAPI's own methods drop the
 * status and headers (Retry-After, Link) and turn errors into plain objects, and its retry never fires.
 */
export class ConnectWiseClient {
  private readonly http: AxiosLike;
  readonly counters: Record<string, number>;

  constructor(
    private readonly target: CwTarget,
    private readonly options: CwClientOptions,
  ) {
    const api = new ManageAPI({
      companyId: target.companyId,
      publicKey: target.username,
      privateKey: target.password,
      companyUrl: target.apiHost,
      clientId: options.clientId,
      entryPoint: target.codebase.replace(/\/+$/, ''),
      apiVersion: options.apiVersion,
      timeout: 30000,
      logger: () => undefined, // its default logger prints every failure, request details included
    });
    this.http = (api as unknown as { instance: AxiosLike }).instance;
    this.http.defaults.baseURL = `${options.originFor(target.apiHost)}/${target.codebase.replace(/\/*$/, '/')}apis/3.0`;
    this.counters = options.counters ?? {};
  }

  /** Unauthenticated codebase discovery on the site host (not the api- host). */
  static async companyInfo(
    site: string,
    companyId: string,
    originFor: (host: string) => string,
  ): Promise<CwCompanyInfo> {
    const url = `${originFor(site)}/login/companyinfo/${encodeURIComponent(companyId)}`;
    let res: Response;
    try {
      res = await fetch(url, { headers: { Accept: 'application/json' }, signal: AbortSignal.timeout(15000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new ConnectWiseError('companyInfo', null, 'Unreachable', `Cannot reach ${site} (${cause})`);
    }
    const body = await res.json().catch(() => null);
    if (!res.ok || !body || typeof body.Codebase !== 'string' || !body.Codebase) {
      throw new ConnectWiseError(
        'companyInfo',
        res.status,
        res.status === 404 || (res.ok && !body?.Codebase) ? 'UnknownCompany' : null,
        `ConnectWise at ${site} does not know the company "${companyId}"`,
      );
    }
    return body as CwCompanyInfo;
  }

  // ---- system and member ----

  systemInfo() {
    return this.get<{ version?: string; isCloud?: boolean }>('systemInfo', '/system/info');
  }

  myMemberInfo() {
    return this.get<CwMemberInfo>('myMemberInfo', '/system/myMembers/info');
  }

  mySecurity() {
    return this.get<CwSecurityEntry[]>('mySecurity', '/system/mySecurity');
  }

  // ---- companies ----

  /** Active, not deleted companies whose name or identifier contains `search`, one page at a time. */
  searchCompanies(search: string, page = 1, pageSize = 25): Promise<Page<CwCompany>> {
    const text = search.trim();
    const conditions = and(
      eq('deletedFlag', false),
      text && or(contains('name', text), contains('identifier', text)),
    );
    return this.page<CwCompany>(
      'searchCompanies',
      '/company/companies',
      conditions,
      COMPANY_FIELDS,
      'name asc',
      page,
      pageSize,
    );
  }

  /** Every company that is not deleted (auto-matching needs them all; 20,000 companies = 20 calls). */
  allCompanies(): Promise<CwCompany[]> {
    return this.all<CwCompany>(
      'allCompanies',
      '/company/companies',
      eq('deletedFlag', false),
      COMPANY_FIELDS,
      'id asc',
    );
  }

  companiesByIds(ids: number[]): Promise<CwCompany[]> {
    return this.byChunks<CwCompany>('companiesByIds', '/company/companies', 'id', ids, COMPANY_FIELDS);
  }

  // ---- catalog ----

  searchCatalog(search: string, page = 1, pageSize = 25): Promise<Page<CwCatalogItem>> {
    const text = search.trim();
    const conditions = and(
      eq('inactiveFlag', false),
      text && or(contains('identifier', text), contains('description', text)),
    );
    return this.page<CwCatalogItem>(
      'searchCatalog',
      '/procurement/catalog',
      conditions,
      CATALOG_FIELDS,
      'identifier asc',
      page,
      pageSize,
    );
  }

  /** Every active catalog item (suggestions compare vendor services with all of them). */
  allCatalog(): Promise<CwCatalogItem[]> {
    return this.all<CwCatalogItem>(
      'allCatalog',
      '/procurement/catalog',
      eq('inactiveFlag', false),
      CATALOG_FIELDS,
      'id asc',
    );
  }

  catalogByIds(ids: number[]): Promise<CwCatalogItem[]> {
    return this.byChunks<CwCatalogItem>('catalogByIds', '/procurement/catalog', 'id', ids, CATALOG_FIELDS);
  }

  // ---- agreements and additions ----

  /** Open agreements of these companies (not cancelled; status Active). */
  async agreementsByCompanyIds(companyIds: number[]): Promise<CwAgreement[]> {
    const rows = await this.byChunks<CwAgreement>(
      'agreementsByCompanyIds',
      '/finance/agreements',
      'company/id',
      companyIds,
      AGREEMENT_FIELDS,
      eq('cancelledFlag', false),
    );
    return rows.filter((a) => !a.agreementStatus || a.agreementStatus === 'Active');
  }

  additions(agreementId: number): Promise<CwAddition[]> {
    return this.all<CwAddition>(
      'additions',
      `/finance/agreements/${agreementId}/additions`,
      undefined,
      ADDITION_FIELDS,
      'id asc',
    );
  }

  createAddition(agreementId: number, addition: CwNewAddition): Promise<CwAddition> {
    return this.send<CwAddition>(
      'createAddition',
      'post',
      `/finance/agreements/${agreementId}/additions`,
      addition,
    );
  }

  patchAddition(agreementId: number, additionId: number, ops: CwPatchOp[]): Promise<CwAddition> {
    return this.send<CwAddition>(
      'patchAddition',
      'patch',
      `/finance/agreements/${agreementId}/additions/${additionId}`,
      ops,
    );
  }

  /** Stops billing from `date`, keeping the addition's history (ConnectWise's own way to end an addition). */
  cancelAddition(agreementId: number, additionId: number, date: string): Promise<CwAddition> {
    return this.patchAddition(agreementId, additionId, [
      { op: 'replace', path: 'cancelledDate', value: date },
    ]);
  }

  // ---- hosted pages ----

  hostedScreens() {
    return this.all<CwHostedScreen>('hostedScreens', '/system/connectWiseHostedScreens');
  }
  hostedSetups() {
    return this.all<CwHostedSetup & { id: number }>('hostedSetups', '/system/connectwisehostedsetups');
  }
  createHostedSetup(setup: CwHostedSetup) {
    return this.send<CwHostedSetup & { id: number }>(
      'createHostedSetup',
      'post',
      '/system/connectwisehostedsetups',
      setup,
    );
  }
  updateHostedSetup(id: number, setup: CwHostedSetup) {
    return this.send<CwHostedSetup & { id: number }>(
      'updateHostedSetup',
      'put',
      `/system/connectwisehostedsetups/${id}`,
      { ...setup, id },
    );
  }
  deleteHostedSetup(id: number) {
    return this.send<void>('deleteHostedSetup', 'delete', `/system/connectwisehostedsetups/${id}`);
  }
  menuEntries() {
    return this.all<CwMenuEntry & { id: number }>('menuEntries', '/system/menuentries');
  }
  createMenuEntry(entry: CwMenuEntry) {
    return this.send<CwMenuEntry & { id: number }>('createMenuEntry', 'post', '/system/menuentries', entry);
  }
  updateMenuEntry(id: number, entry: CwMenuEntry) {
    return this.send<CwMenuEntry & { id: number }>('updateMenuEntry', 'put', `/system/menuentries/${id}`, {
      ...entry,
      id,
    });
  }
  deleteMenuEntry(id: number) {
    return this.send<void>('deleteMenuEntry', 'delete', `/system/menuentries/${id}`);
  }

  /**
   * The HTTP status of a request: ConnectWise checks the security role before it validates, so a deliberately
   * empty write answers 403 without the permission and 400/404 with it, and changes nothing either way.
   */
  async probe(operation: string, method: string, path: string, data?: unknown): Promise<number> {
    try {
      await this.call(operation, { method, url: path, data });
      return 200;
    } catch (error) {
      if (error instanceof ConnectWiseError && error.status && !error.retryable) return error.status;
      throw error;
    }
  }

  // ---- plumbing ----

  private get<T>(operation: string, path: string, params?: Record<string, unknown>): Promise<T> {
    return this.call(operation, { method: 'get', url: path, params }).then((r) => r.data as T);
  }

  private send<T>(operation: string, method: string, path: string, data?: unknown): Promise<T> {
    return this.call(operation, { method, url: path, data }).then((r) => r.data as T);
  }

  private async page<T>(
    operation: string,
    path: string,
    conditions: string,
    fields: string,
    orderBy: string,
    page: number,
    pageSize: number,
  ): Promise<Page<T>> {
    const params = { conditions: conditions || undefined };
    const [rows, count] = await Promise.all([
      this.get<T[]>(operation, path, {
        ...params,
        fields,
        orderBy,
        page,
        pageSize: Math.min(pageSize, MAX_PAGE),
      }),
      this.get<{ count: number }>(`${operation}Count`, `${path}/count`, params),
    ]);
    return { items: this.list(operation, rows), total: count.count, page, pageSize };
  }

  /** Pages to exhaustion at 1000 a page; a short page ends it. Never returns [] for a failure. */
  private async all<T>(
    operation: string,
    path: string,
    conditions?: string,
    fields?: string,
    orderBy?: string,
  ): Promise<T[]> {
    const out: T[] = [];
    for (let page = 1; ; page++) {
      const res = await this.call(operation, {
        method: 'get',
        url: path,
        params: { conditions, fields, orderBy, page, pageSize: MAX_PAGE },
      });
      const rows = this.list<T>(operation, res.data);
      out.push(...rows);
      // A full page with no rel="next" in the Link header is the last one: no empty page is fetched to find out.
      const link = String(res.headers?.link ?? '');
      if (rows.length < MAX_PAGE || (link && !/rel="?next"?/.test(link))) return out;
    }
  }

  private async byChunks<T>(
    operation: string,
    path: string,
    field: string,
    values: number[],
    fields: string,
    prefix = '',
  ): Promise<T[]> {
    if (!values.length) return [];
    const chunks = inChunks(field, values, 1400, prefix);
    const results = await Promise.all(chunks.map((c) => this.all<T>(operation, path, c, fields, 'id asc')));
    return results.flat();
  }

  private list<T>(operation: string, data: unknown): T[] {
    if (!Array.isArray(data))
      throw new ConnectWiseError(
        operation,
        200,
        'BadBody',
        'ConnectWise answered with something that is not a list',
      );
    return data as T[];
  }

  private call(operation: string, config: Record<string, unknown>) {
    const policy = this.options.retry ?? {
      attempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 20000,
      maxTotalMs: 90000,
    };
    return retry(
      () =>
        this.options.limit(async () => {
          this.counters[operation] = (this.counters[operation] ?? 0) + 1;
          let res: { status: number; data: any; headers: Record<string, any> };
          try {
            res = await this.http.request({ ...config, validateStatus: () => true });
          } catch (error) {
            const code = (error as { code?: string }).code ?? (error as Error).message;
            throw new ConnectWiseError(operation, null, 'Network', `Cannot reach ConnectWise (${code})`);
          }
          if (res.status >= 200 && res.status < 300) return res;
          throw toError(operation, res);
        }),
      {
        ...policy,
        shouldRetry: (error: unknown) =>
          error instanceof ConnectWiseError && error.retryable
            ? { afterMs: error.retryAfterSeconds != null ? error.retryAfterSeconds * 1000 : undefined }
            : false,
      },
    );
  }
}

function toError(
  operation: string,
  res: { status: number; data: any; headers: Record<string, any> },
): ConnectWiseError {
  const body = res.data && typeof res.data === 'object' ? res.data : {};
  const retryAfter = Number(res.headers?.['retry-after']);
  const errors: CwFieldError[] = Array.isArray(body.errors) ? body.errors : [];
  const message =
    body.message ??
    (res.status === 429
      ? 'Too many requests'
      : typeof res.data === 'string' && res.data
        ? res.data.slice(0, 200)
        : `HTTP ${res.status}`);
  return new ConnectWiseError(
    operation,
    res.status,
    body.code ?? body.error ?? null,
    String(message),
    errors,
    Number.isFinite(retryAfter) ? retryAfter : null,
  );
}

export { limiter };
