import { Inject, Injectable } from '@nestjs/common';
import { SandboxFaults, SandboxStats, sleep } from '../faults';
import { WORLD } from '../sandbox.tokens';
import { World } from '../world';
import { authenticate, isGuid, Principal } from './cw-sim.auth';
import {
  CwError,
  cwBadQuery,
  cwClientIdRequired,
  cwForbidden,
  cwNotAuthenticated,
  cwNotFound,
  cwRateLimited,
  cwServerError,
} from './cw-sim.errors';
import { apiKeySecurity, FIELDS, MemberInfo, memberSecurity, SecurityEntry } from './cw-sim.resources';
import { CwSimState, WriteContext } from './cw-sim.state';
import {
  applyFields,
  applyOrderBy,
  compile,
  ConditionsError,
  linkHeader,
  paginate,
  PagingError,
} from './query';

/** One request to `/{codebase}/apis/3.0/...`, already taken apart by the controller. */
export interface ApiRequest {
  method: string;
  codebase: string;
  /** The path after `/apis/3.0`, e.g. `/finance/agreements/731/additions`. */
  path: string;
  /** The raw query string without `?` (kept byte for byte for the `Link` header). */
  rawQuery: string;
  /** The absolute request URL, the base of the `Link` header. */
  url: string;
  headers: { authorization?: string; cookie?: string; clientid?: string };
  body: unknown;
}

export interface ApiResponse {
  status: number;
  /** Undefined for an empty body (204). */
  body?: unknown;
  headers?: Record<string, string>;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

interface RouteContext {
  /** The numeric `{id}` segments of the path, in order. */
  ids: number[];
  query: Query;
  body: unknown;
  principal: Principal;
  write: WriteContext;
  url: string;
}

interface Route {
  method: Method;
  /** Path after `/apis/3.0`; `{id}` matches a number, other segments match case-insensitively. */
  pattern: string;
  /** What an API key needs (null: any valid key). */
  permission: string | null;
  /** Also accepts member (hosted page) credentials; only the two "who am I" endpoints do. */
  memberAuth?: boolean;
  handle(ctx: RouteContext): ApiResponse;
}

const P = {
  companies: 'Companies.CompanyMaintenance.Inquire',
  agreementsInquire: 'Finance.Agreements.Inquire',
  agreementsAdd: 'Finance.Agreements.Add',
  agreementsEdit: 'Finance.Agreements.Edit',
  catalog: 'Procurement.ProductCatalog.Inquire',
  tableSetup: 'System.TableSetup.Inquire',
  manageHostedApi: 'System.TableSetup.ManageHostedApi',
};

/** The identifier ConnectWise records as `createdBy` for changes made with an API key. */
const API_MEMBER = 'APIMember';
const BUILD = '101234';

/** Query parameters; ConnectWise (ASP.NET) reads their names case-insensitively. */
class Query {
  private readonly params = new Map<string, string>();

  constructor(rawQuery: string) {
    for (const [key, value] of new URLSearchParams(rawQuery)) {
      if (!this.params.has(key.toLowerCase())) this.params.set(key.toLowerCase(), value);
    }
  }

  get(name: string): string | undefined {
    return this.params.get(name.toLowerCase());
  }
}

const ok = (body: unknown): ApiResponse => ({ status: 200, body });
const created = (body: unknown): ApiResponse => ({ status: 201, body });
const noContent = (): ApiResponse => ({ status: 204 });

/** A list endpoint: conditions, orderBy (after the default id order), one page, fields, and the Link header. */
function list(records: object[], fields: Set<string>, ctx: RouteContext): ApiResponse {
  const filter = compile(ctx.query.get('conditions'), fields);
  const sorted = applyOrderBy(records.filter(filter), ctx.query.get('orderBy'), fields);
  const page = paginate(sorted, ctx.query.get('page'), ctx.query.get('pageSize'));
  const link = linkHeader(ctx.url, page.page, page.pageSize, page.totalPages);
  return {
    status: 200,
    body: applyFields(page.items, ctx.query.get('fields')),
    headers: link ? { Link: link } : {},
  };
}

function count(records: object[], fields: Set<string>, ctx: RouteContext): ApiResponse {
  const filter = compile(ctx.query.get('conditions'), fields);
  return ok({ count: records.filter(filter).length });
}

/** A single record; `fields` applies here too. */
function one(record: object, ctx: RouteContext): ApiResponse {
  return ok(applyFields([record], ctx.query.get('fields'))[0]);
}

/**
 * The simulated ConnectWise REST API 3.0: faults, clientId, authentication, routing, permissions, then
 * the resource, answering every failure with ConnectWise's own error body.
 */
@Injectable()
export class CwSimApi {
  private readonly routes: Route[];

  constructor(
    @Inject(WORLD) private readonly world: World,
    private readonly state: CwSimState,
    private readonly faults: SandboxFaults,
    private readonly stats: SandboxStats,
  ) {
    this.routes = this.buildRoutes();
  }

  async handle(req: ApiRequest): Promise<ApiResponse> {
    const match = this.match(req.method, req.path);
    // Counted before anything can fail, so a client's retries show up in the stats.
    this.countCall(req.method, req.path, match);
    try {
      const { latencyMs, fault } = this.faults.next('connectwise');
      if (latencyMs > 0) await sleep(latencyMs);
      if (fault?.kind === 'rate_limit') throw cwRateLimited(fault.retryAfterSeconds);
      if (fault?.kind === 'server_error') throw cwServerError();

      if (!this.knownCodebase(req.codebase)) {
        throw cwNotFound(`No codebase '${req.codebase}' on this server; see /login/companyinfo/{companyId}.`);
      }
      if (!isGuid(req.headers.clientid)) throw cwClientIdRequired();
      const principal = authenticate(req.headers, this.world.connectwise);
      if (!principal || (principal.kind === 'member' && !match?.route.memberAuth)) throw cwNotAuthenticated();
      if (!match) throw cwNotFound(`No resource was found that matches the request URI '${req.path}'.`);
      const { route, ids } = match;
      if (
        principal.kind === 'apiKey' &&
        route.permission &&
        !principal.key.permissions.includes(route.permission)
      ) {
        throw cwForbidden(route.permission);
      }
      return route.handle({
        ids,
        query: new Query(req.rawQuery),
        body: req.body,
        principal,
        write: {
          memberIdentifier: principal.kind === 'member' ? principal.member.identifier : API_MEMBER,
          clientId: req.headers.clientid ?? '',
        },
        url: req.url,
      });
    } catch (error) {
      if (error instanceof CwError) return error.asResponse();
      if (error instanceof ConditionsError || error instanceof PagingError) {
        return cwBadQuery(error.message).asResponse();
      }
      throw error;
    }
  }

  /** A body Express's JSON parser refused, answered here rather than by the app's exception filter. */
  malformedBody(method: string, path: string, parserMessage: string): ApiResponse {
    this.countCall(method, path);
    return cwBadQuery(`The request body is not valid JSON: ${parserMessage}`).asResponse();
  }

  /** `GET /login/companyinfo/{companyId}`: unauthenticated codebase discovery; null for another company. */
  companyInfo(companyId: string): Record<string, string> | null {
    const cw = this.world.connectwise;
    this.stats.count('connectwise', 'GET /login/companyinfo/{companyId}');
    if (companyId.toLowerCase() !== cw.companyId.toLowerCase()) return null;
    return {
      CompanyName: this.world.name || cw.companyId,
      Codebase: cw.codebase,
      VersionCode: this.versionCode(),
      VersionNumber: `v4.6.${BUILD}`,
      CompanyID: cw.companyId,
      IsCloud: 'True',
      SiteUrl: cw.site,
    };
  }

  /** Stats key: the route pattern, or for an unknown path the path with numbers replaced by `{id}`. */
  private countCall(method: string, path: string, match = this.match(method, path)): void {
    this.stats.count('connectwise', `${method} ${match?.route.pattern ?? normalisePath(path)}`);
  }

  /** The world's codebase (`v2025_1/` is served as `v2025_1`) or the classic `v4_6_release`. */
  private knownCodebase(codebase: string): boolean {
    const own = this.world.connectwise.codebase.replace(/\/+$/, '').toLowerCase();
    return [own, 'v4_6_release'].includes(codebase.toLowerCase());
  }

  /** `v2025_1/` → `v2025.1`. */
  private versionCode(): string {
    const m = /^v(\d+)_(\d+)/.exec(this.world.connectwise.codebase);
    return m ? `v${m[1]}.${m[2]}` : 'v2025.1';
  }

  private match(method: string, path: string): { route: Route; ids: number[] } | null {
    const segments = path.split('/').filter((s) => s !== '');
    for (const route of this.routes) {
      if (route.method !== method) continue;
      const parts = route.pattern.split('/').filter((s) => s !== '');
      if (parts.length !== segments.length) continue;
      const ids: number[] = [];
      const matches = parts.every((part, i) => {
        if (part !== '{id}') return part.toLowerCase() === segments[i].toLowerCase();
        if (!/^\d+$/.test(segments[i])) return false;
        ids.push(Number(segments[i]));
        return true;
      });
      if (matches) return { route, ids };
    }
    return null;
  }

  private buildRoutes(): Route[] {
    const s = this.state;
    const route = (
      method: Method,
      pattern: string,
      permission: string | null,
      handle: Route['handle'],
      memberAuth = false,
    ): Route => ({ method, pattern, permission, handle, memberAuth });
    const additions = '/finance/agreements/{id}/additions';
    const setups = '/system/connectwisehostedsetups';
    const menu = '/system/menuentries';
    return [
      route('GET', '/company/companies', P.companies, (c) => list(s.listCompanies(), FIELDS.company, c)),
      route('GET', '/company/companies/count', P.companies, (c) =>
        count(s.listCompanies(), FIELDS.company, c),
      ),
      route('GET', '/company/companies/{id}', P.companies, (c) => one(s.company(c.ids[0]), c)),

      route('GET', '/finance/agreements', P.agreementsInquire, (c) =>
        list(s.listAgreements(), FIELDS.agreement, c),
      ),
      route('GET', '/finance/agreements/count', P.agreementsInquire, (c) =>
        count(s.listAgreements(), FIELDS.agreement, c),
      ),
      route('GET', '/finance/agreements/{id}', P.agreementsInquire, (c) => one(s.agreement(c.ids[0]), c)),

      route('GET', additions, P.agreementsInquire, (c) => list(s.additions(c.ids[0]), FIELDS.addition, c)),
      route('GET', `${additions}/count`, P.agreementsInquire, (c) =>
        count(s.additions(c.ids[0]), FIELDS.addition, c),
      ),
      route('GET', `${additions}/{id}`, P.agreementsInquire, (c) => one(s.addition(c.ids[0], c.ids[1]), c)),
      route('POST', additions, P.agreementsAdd, (c) => created(s.createAddition(c.ids[0], c.body))),
      route('PUT', `${additions}/{id}`, P.agreementsEdit, (c) =>
        ok(s.replaceAddition(c.ids[0], c.ids[1], c.body)),
      ),
      route('PATCH', `${additions}/{id}`, P.agreementsEdit, (c) =>
        ok(s.patchAddition(c.ids[0], c.ids[1], c.body)),
      ),
      route('DELETE', `${additions}/{id}`, P.agreementsEdit, (c) => {
        s.deleteAddition(c.ids[0], c.ids[1]);
        return noContent();
      }),

      route('GET', '/procurement/catalog', P.catalog, (c) => list(s.listCatalog(), FIELDS.catalogItem, c)),
      route('GET', '/procurement/catalog/count', P.catalog, (c) =>
        count(s.listCatalog(), FIELDS.catalogItem, c),
      ),
      route('GET', '/procurement/catalog/{id}', P.catalog, (c) => one(s.catalogItem(c.ids[0]), c)),

      route('GET', '/system/info', null, () =>
        ok({
          version: `${this.versionCode()}.${BUILD}`,
          isCloud: true,
          serverTimeZone: 'Eastern Standard Time',
          cloudRegion: 'NA',
        }),
      ),
      route('GET', '/system/myMembers/info', null, (c) => ok(this.memberInfo(c.principal)), true),
      route(
        'GET',
        '/system/mySecurity',
        null,
        (c) => list(this.security(c.principal), FIELDS.security, c),
        true,
      ),

      route('GET', '/system/connectWiseHostedScreens', P.tableSetup, (c) =>
        list(s.hostedScreens(), FIELDS.hostedScreen, c),
      ),
      route('GET', setups, P.tableSetup, (c) => list(s.hostedSetups(), FIELDS.hostedSetup, c)),
      route('GET', `${setups}/count`, P.tableSetup, (c) => count(s.hostedSetups(), FIELDS.hostedSetup, c)),
      route('GET', `${setups}/{id}`, P.tableSetup, (c) => one(s.hostedSetup(c.ids[0]), c)),
      route('POST', setups, P.manageHostedApi, (c) => created(s.createHostedSetup(c.body, c.write))),
      route('PUT', `${setups}/{id}`, P.manageHostedApi, (c) =>
        ok(s.replaceHostedSetup(c.ids[0], c.body, c.write)),
      ),
      route('PATCH', `${setups}/{id}`, P.manageHostedApi, (c) =>
        ok(s.patchHostedSetup(c.ids[0], c.body, c.write)),
      ),
      route('DELETE', `${setups}/{id}`, P.manageHostedApi, (c) => {
        s.deleteHostedSetup(c.ids[0]);
        return noContent();
      }),

      route('GET', menu, P.tableSetup, (c) => list(s.menuEntries(), FIELDS.menuEntry, c)),
      route('GET', `${menu}/count`, P.tableSetup, (c) => count(s.menuEntries(), FIELDS.menuEntry, c)),
      route('GET', `${menu}/{id}`, P.tableSetup, (c) => one(s.menuEntry(c.ids[0]), c)),
      route('POST', menu, P.manageHostedApi, (c) => created(s.createMenuEntry(c.body, c.write))),
      route('PUT', `${menu}/{id}`, P.manageHostedApi, (c) =>
        ok(s.replaceMenuEntry(c.ids[0], c.body, c.write)),
      ),
      route('PATCH', `${menu}/{id}`, P.manageHostedApi, (c) =>
        ok(s.patchMenuEntry(c.ids[0], c.body, c.write)),
      ),
      route('DELETE', `${menu}/{id}`, P.manageHostedApi, (c) => {
        s.deleteMenuEntry(c.ids[0]);
        return noContent();
      }),
    ];
  }

  /** A member sees themself; an API key sees its API member (license class A). */
  private memberInfo(principal: Principal): MemberInfo {
    if (principal.kind === 'apiKey') {
      return {
        id: 900 + principal.index,
        identifier: API_MEMBER,
        firstName: 'API',
        lastName: 'Member',
        fullName: 'API Member',
        defaultEmail: '',
        licenseClass: 'A',
        inactiveFlag: false,
      };
    }
    const { member, index } = principal;
    const firstName = member.identifier.charAt(0).toUpperCase() + member.identifier.slice(1);
    return {
      id: 101 + index,
      identifier: member.identifier,
      firstName,
      lastName: 'Member',
      fullName: `${firstName} Member`,
      defaultEmail: member.email,
      licenseClass: 'F',
      inactiveFlag: false,
    };
  }

  private security(principal: Principal): SecurityEntry[] {
    return principal.kind === 'member'
      ? memberSecurity(principal.member.agreementsEdit)
      : apiKeySecurity(principal.key.permissions);
  }
}

/** `/finance/agreements/731/additions` → `/finance/agreements/{id}/additions`, for unmatched paths' stats. */
function normalisePath(path: string): string {
  return path.replace(/\/\d+(?=\/|$)/g, '/{id}').replace(/\/+$/, '') || '/';
}
