import { Injectable, OnModuleInit } from '@nestjs/common';
import { ACCOUNT_FILTERS, AccountFilter, MappingService } from '../mapping/mapping.service';
import type { MemberClaims } from '../session/session-token';
import { TenantsService } from '../tenants/tenants.service';
import { ScreenModels } from './screen-models';

/** Accounts shown on one page of the Accounts screen. */
export const ACCOUNTS_PAGE_SIZE = 50;

const ACCOUNT_FILTER_LABELS: Record<AccountFilter, string> = {
  all: 'All',
  unmapped: 'Unmapped',
  suggested: 'Suggested',
  mapped: 'Mapped',
  excluded: 'Excluded',
  not_billable: 'Not billable',
};

const SERVICE_FILTERS = ['all', 'unmapped', 'mapped'] as const;
type ServiceFilter = (typeof SERVICE_FILTERS)[number];
const SERVICE_FILTER_LABELS: Record<ServiceFilter, string> = {
  all: 'All',
  unmapped: 'Unmapped',
  mapped: 'Mapped',
};

type AccountView = Awaited<ReturnType<MappingService['listAccounts']>>['items'][number];
type ServiceView = Awaited<ReturnType<MappingService['listServices']>>['items'][number];
type SuggestionView = AccountView['suggestions'][number];

/** YYYY-MM-DD of a date (or its ISO string); empty when there is none. */
export function day(value: Date | string | null | undefined): string {
  if (!value) return '';
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10);
}

/** "auto-match" reads better as "automatic"; a member id stays as it is. */
function who(mappedBy: string | null | undefined): string {
  if (!mappedBy) return '';
  return mappedBy === 'auto-match' ? 'automatic' : mappedBy;
}

/** Query string of a screen link, without empty values. */
function params(values: Record<string, string | number | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(values))
    if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  return p.toString();
}

/** What an empty table says: nothing of this kind, nothing matching the search, or a page past the end. */
function emptyText(noun: string, filterLabel: string, search: string, total: number, page: number): string {
  if (total > 0) return `Nothing on page ${page}: there are ${total} ${noun} in this list.`;
  const kind = filterLabel === 'All' ? '' : `${filterLabel.toLowerCase()} `;
  return search ? `No ${kind}${noun} match “${search}”.` : `No ${kind}${noun}.`;
}

/** Suggestions this far below the best one are shown only on request. */
export const WEAKER_BY = 10;

function suggestionRow(s: SuggestionView) {
  return {
    targetId: s.targetId,
    code: s.code,
    label: s.label,
    score: `${Math.round(s.score)}%`,
    reason: s.reason,
  };
}

/** Up to 3 suggestions, best first: the close ones, and the clearly weaker ones apart. */
function suggestionRows(list: SuggestionView[]) {
  const top = list.slice(0, 3);
  const best = top[0]?.score ?? 0;
  return {
    suggestions: top.filter((s, i) => i === 0 || s.score >= best - WEAKER_BY).map(suggestionRow),
    moreSuggestions: top.filter((s, i) => i > 0 && s.score < best - WEAKER_BY).map(suggestionRow),
  };
}

/** The three mapping screens: Accounts, Services and Finish (the review before the first sync). */
@Injectable()
export class MappingScreens implements OnModuleInit {
  constructor(
    private readonly screens: ScreenModels,
    private readonly mapping: MappingService,
    private readonly tenants: TenantsService,
  ) {}

  onModuleInit(): void {
    this.screens.register('accounts', (m, q) => this.accounts(m, q));
    this.screens.register('services', (m, q) => this.services(m, q));
    this.screens.register('finish', (m) => this.finish(m));
  }

  async accounts(member: MemberClaims, query: Record<string, string>) {
    const search = (query.search ?? '').trim().slice(0, 100);
    const list = await this.mapping.listAccounts(member.tenantId, {
      filter: query.filter,
      search,
      page: Number(query.page) || 1,
      pageSize: ACCOUNTS_PAGE_SIZE,
    });
    // The queue counts every account, whatever the search narrowed the list to.
    const overall = search
      ? (await this.mapping.listAccounts(member.tenantId, { filter: 'unmapped', pageSize: 5 })).counts
      : list.counts;
    const pages = Math.max(1, Math.ceil(list.total / list.pageSize));
    const from = list.total ? (list.page - 1) * list.pageSize + 1 : 0;
    return {
      view: 'accounts',
      model: {
        filter: list.filter,
        search,
        filters: ACCOUNT_FILTERS.map((key) => ({
          key,
          label: ACCOUNT_FILTER_LABELS[key],
          count: list.counts[key],
          active: key === list.filter,
          params: params({ filter: key, search }),
        })),
        counts: list.counts,
        queue: {
          unmapped: overall.unmapped,
          suggested: overall.suggested,
          withoutSuggestion: Math.max(0, overall.unmapped - overall.suggested),
          done: overall.unmapped === 0,
          params: params({ filter: 'unmapped' }),
        },
        rows: list.items.map((a) => this.accountRow(a)),
        total: list.total,
        pager: {
          page: list.page,
          pages,
          from,
          to: Math.min(list.total, list.page * list.pageSize),
          total: list.total,
          show: pages > 1,
          prev: list.page > 1 ? params({ filter: list.filter, search, page: list.page - 1 }) : null,
          next: list.page < pages ? params({ filter: list.filter, search, page: list.page + 1 }) : null,
        },
        emptyText: emptyText('accounts', ACCOUNT_FILTER_LABELS[list.filter], search, list.total, list.page),
      },
    };
  }

  private accountRow(a: AccountView) {
    const m = a.mapping;
    const status = a.excluded
      ? { key: 'excluded', label: 'Excluded', badge: '' }
      : !a.billable
        ? { key: 'not-billable', label: 'Not billable', badge: '' }
        : m
          ? { key: 'mapped', label: 'Mapped', badge: 'badge-ok' }
          : { key: 'unmapped', label: 'Unmapped', badge: 'badge-warn' };
    return {
      id: a.id,
      name: a.name,
      customerNumber: a.customerNumber,
      externalNumber: a.externalNumber,
      customerType: a.customerType,
      subscriptions: a.subscriptions,
      billable: a.billable,
      problem: a.problem,
      excluded: a.excluded,
      status,
      mapping: m
        ? {
            companyId: m.psaCompanyId,
            companyName: m.psaCompanyName,
            companyIdentifier: m.psaCompanyIdentifier,
            methodLabel: m.methodLabel,
            mappedBy: who(m.mappedBy),
            mappedAt: day(m.mappedAt),
            agreementName: m.agreementName,
            agreementChoose: m.agreementProblem === 'choose',
            agreementNone: m.agreementProblem === 'none_active',
          }
        : null,
      ...suggestionRows(a.suggestions),
      /** Match and drop targets: billable accounts that are not excluded (Include them first). */
      canMatch: !a.excluded && a.billable,
    };
  }

  async services(member: MemberClaims, query: Record<string, string>) {
    const filter: ServiceFilter = (SERVICE_FILTERS as readonly string[]).includes(query.filter)
      ? (query.filter as ServiceFilter)
      : 'all';
    const { items } = await this.mapping.listServices(member.tenantId);
    const counts: Record<ServiceFilter, number> = {
      all: items.length,
      unmapped: items.filter((s) => !s.mapping).length,
      mapped: items.filter((s) => s.mapping).length,
    };
    const shown = items.filter((s) => filter === 'all' || (filter === 'mapped') === Boolean(s.mapping));
    const unmappedInUse = items.filter((s) => !s.mapping && s.accounts > 0).length;
    return {
      view: 'services',
      model: {
        filter,
        filters: SERVICE_FILTERS.map((key) => ({
          key,
          label: SERVICE_FILTER_LABELS[key],
          count: counts[key],
          active: key === filter,
          params: params({ filter: key }),
        })),
        counts,
        unmappedInUse,
        rows: shown.map((s) => this.serviceRow(s)),
        emptyText: emptyText('services', SERVICE_FILTER_LABELS[filter], '', counts[filter], 1),
      },
    };
  }

  private serviceRow(s: ServiceView) {
    const m = s.mapping;
    return {
      id: s.id,
      serviceKey: s.serviceKey,
      productName: s.productName,
      term: s.term,
      frequency: s.frequency,
      accounts: s.accounts,
      inUse: s.accounts > 0,
      status: m
        ? { key: 'mapped', label: 'Mapped', badge: 'badge-ok' }
        : { key: 'unmapped', label: 'Unmapped', badge: s.accounts ? 'badge-warn' : '' },
      mapping: m
        ? {
            productId: m.psaProductId,
            identifier: m.psaProductIdentifier,
            description: m.psaProductDescription,
            mappedBy: who(m.mappedBy),
            mappedAt: day(m.mappedAt),
          }
        : null,
      ...suggestionRows(s.suggestions),
    };
  }

  async finish(member: MemberClaims) {
    const [review, tenant, notBillable] = await Promise.all([
      this.mapping.review(member.tenantId),
      this.tenants.get(member.tenantId),
      this.notBillableIds(member.tenantId),
    ]);
    // Accounts AppRiver does not bill through the partner are never written back: no agreement is needed.
    const accounts = review.accounts.map((a) => {
      const billable = !notBillable.has(a.accountId);
      return { ...a, billable, noAgreement: billable && !a.agreement };
    });
    return {
      view: 'finish',
      model: {
        review,
        accounts,
        services: review.services,
        withoutAgreement: accounts.filter((a) => a.noAgreement).length,
        setupComplete: tenant.setupComplete,
        blockedReason: review.blockers.join(' '),
      },
    };
  }

  private async notBillableIds(tenantId: number): Promise<Set<number>> {
    const ids = new Set<number>();
    for (let page = 1; ; page++) {
      const list = await this.mapping.listAccounts(tenantId, { filter: 'not_billable', page, pageSize: 200 });
      list.items.forEach((a) => ids.add(a.id));
      if (page * list.pageSize >= list.total || !list.items.length) return ids;
    }
  }
}
