import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsBoolean, IsIn, IsInt, IsOptional, Min } from 'class-validator';
import { In, IsNull, Repository } from 'typeorm';
import { ImportService } from '../appriver/import.service';
import { VendorAccount, VendorService, VendorSubscription } from '../appriver/vendor.entities';
import { AuditService } from '../audit/audit.service';
import { forEachChunk, group } from '../common/collections';
import { badRequest, notFound } from '../common/errors';
import type { CwAgreement, CwCompany } from '../connectwise/connectwise.types';
import type { MemberClaims } from '../session/session-token';
import { Tenant } from '../tenants/tenant.entity';
import { TenantsService } from '../tenants/tenants.service';
import { chooseAgreement, isActiveAgreement } from './agreement-choice';
import { AccountMapping, AccountMatchMethod, ServiceMapping, Suggestion } from './mapping.entities';
import { matchAccounts, suggestProducts } from './matching';

export class MapAccountDto {
  @IsInt() @Min(1) psaCompanyId: number;
  @IsOptional() @IsInt() @Min(1) agreementId?: number;
  /** How the person arrived at it: a confirmed suggestion, or a manual pick (drag and drop, keyboard). */
  @IsOptional() @IsIn(['suggestion', 'manual']) method?: 'suggestion' | 'manual';
}

export class ExcludeDto {
  @IsOptional() @IsBoolean() excluded?: boolean;
}

export class MapServiceDto {
  @IsInt() @Min(1) psaProductId: number;
}

export const ACCOUNT_FILTERS = [
  'all',
  'unmapped',
  'suggested',
  'mapped',
  'excluded',
  'not_billable',
] as const;
export type AccountFilter = (typeof ACCOUNT_FILTERS)[number];

export const METHOD_LABELS: Record<AccountMatchMethod, string> = {
  external_number: 'External account number',
  exact_name: 'Exact name',
  suggestion: 'Suggestion confirmed',
  manual: 'Manual',
};

const AUTO = 'auto-match';

@Injectable()
export class MappingService implements OnModuleInit {
  constructor(
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    private readonly importer: ImportService,
    @InjectRepository(VendorAccount) private readonly accounts: Repository<VendorAccount>,
    @InjectRepository(VendorService) private readonly services: Repository<VendorService>,
    @InjectRepository(VendorSubscription) private readonly subscriptions: Repository<VendorSubscription>,
    @InjectRepository(AccountMapping) private readonly accountMappings: Repository<AccountMapping>,
    @InjectRepository(ServiceMapping) private readonly serviceMappings: Repository<ServiceMapping>,
    @InjectRepository(Suggestion) private readonly suggestions: Repository<Suggestion>,
  ) {}

  onModuleInit(): void {
    this.importer.onImported((tenantId) => this.autoMatch(tenantId));
  }

  // ---- automatic matching ----

  /**
   * Exact matches are applied; everything else becomes ranked suggestions for a person. Accounts that already
   * have a mapping row (a person's choice, an exclusion, an earlier match) are never touched.
   */
  async autoMatch(
    tenantId: number,
    actor = AUTO,
  ): Promise<{ matched: number; suggested: number; ambiguous: number }> {
    const tenant = await this.tenants.get(tenantId);
    const client = this.tenants.client(tenant);
    const [accounts, decided, services, serviceDecided] = await Promise.all([
      this.accounts.find({ where: { tenantId, goneAt: IsNull() } }),
      this.accountMappings.find({ where: { tenantId }, select: { accountId: true } }),
      this.services.find({ where: { tenantId, goneAt: IsNull() } }),
      this.serviceMappings.find({ where: { tenantId }, select: { serviceId: true } }),
    ]);
    const taken = new Set(decided.map((m) => m.accountId));
    const open = accounts.filter((a) => !taken.has(a.id));
    const servicesTaken = new Set(serviceDecided.map((m) => m.serviceId));
    const openServices = services.filter((s) => !servicesTaken.has(s.id));
    // Every company and catalog item costs calls (20 and 5 at scale): read them only when something is left to match.
    const [companies, catalog] = await Promise.all([
      open.length ? client.allCompanies() : Promise.resolve([]),
      openServices.length ? client.allCatalog() : Promise.resolve([]),
    ]);
    const matches = matchAccounts(
      open.map((a) => ({
        accountId: a.id,
        name: a.name,
        externalNumber: a.externalNumber,
        website: a.website,
      })),
      companies.map((c) => ({
        id: c.id,
        identifier: c.identifier,
        name: c.name,
        deletedFlag: Boolean(c.deletedFlag),
        status: c.status?.name ?? 'Active',
      })),
    );
    const companyById = new Map(companies.map((c) => [c.id, c]));
    const autos = matches.filter((m) => m.auto);
    const agreements = await this.agreementsOf(
      tenant,
      autos.map((m) => m.auto!.companyId),
    );
    const now = new Date();
    const rows = autos.map((m) => {
      const company = companyById.get(m.auto!.companyId)!;
      const choice = chooseAgreement(agreements.get(company.id) ?? [], tenant.settings.agreementType);
      return this.accountMappings.create({
        tenantId,
        accountId: m.accountId,
        ...companyFields(company),
        agreementId: choice.agreementId,
        agreementName: choice.agreementName,
        agreementProblem: choice.problem,
        method: m.auto!.method,
        excluded: false,
        mappedBy: actor,
        mappedAt: now,
      });
    });
    // Each chunk's mappings commit with their audit events; other requests run between chunks.
    await forEachChunk(rows, 200, (chunk) =>
      this.accountMappings.manager.transaction(async (m) => {
        await m.save(AccountMapping, chunk);
        await this.audit.recordMany(
          chunk.map((row) => ({
            tenantId,
            actor,
            action: 'account_mapped',
            entity: 'account',
            entityId: row.accountId,
            before: null,
            after: mappingView(row),
          })),
          m,
        );
      }),
    );

    const suggestionRows = matches
      .filter((m) => !m.auto)
      .flatMap((m) =>
        m.suggestions.map((s, rank) => {
          const c = companyById.get(s.companyId)!;
          return this.suggestions.create({
            tenantId,
            kind: 'account',
            subjectId: m.accountId,
            targetId: c.id,
            targetCode: c.identifier,
            targetLabel: c.name,
            score: s.score,
            reason: s.reason,
            rank,
          });
        }),
      );
    const serviceSuggestions = suggestProducts(
      openServices.map((s) => ({
        serviceId: s.id,
        productName: s.productName,
        term: s.term,
        frequency: s.frequency,
      })),
      catalog.map((c) => ({
        id: c.id,
        identifier: c.identifier,
        description: c.description,
        inactiveFlag: Boolean(c.inactiveFlag),
      })),
    );
    const catalogById = new Map(catalog.map((c) => [c.id, c]));
    const serviceRows = serviceSuggestions.flatMap((ss) =>
      ss.suggestions.map((s, rank) => {
        const item = catalogById.get(s.companyId)!;
        return this.suggestions.create({
          tenantId,
          kind: 'service',
          subjectId: ss.serviceId,
          targetId: item.id,
          targetCode: item.identifier,
          targetLabel: item.description,
          score: s.score,
          reason: s.reason,
          rank,
        });
      }),
    );
    await this.suggestions.delete({ tenantId });
    await forEachChunk([...suggestionRows, ...serviceRows], 500, (chunk) => this.suggestions.insert(chunk));
    return {
      matched: rows.length,
      suggested: matches.filter((m) => !m.auto && m.suggestions.length).length,
      ambiguous: matches.filter((m) => m.ambiguous).length,
    };
  }

  // ---- accounts ----

  async listAccounts(
    tenantId: number,
    q: { filter?: string; search?: string; page?: number; pageSize?: number },
  ) {
    const filter = (ACCOUNT_FILTERS as readonly string[]).includes(q.filter ?? '')
      ? (q.filter as AccountFilter)
      : 'all';
    const page = Math.max(1, Number(q.page) || 1);
    const pageSize = Math.min(200, Math.max(5, Number(q.pageSize) || 50));
    const qb = this.accounts
      .createQueryBuilder('a')
      .leftJoin(AccountMapping, 'm', 'm.tenant_id = a.tenant_id AND m.account_id = a.id')
      .where('a.tenant_id = :tenantId AND a.gone_at IS NULL', { tenantId });
    const search = q.search?.trim();
    if (search) {
      qb.andWhere(
        '(LOWER(a.name) LIKE :s OR a.customer_number LIKE :s OR LOWER(a.external_number) LIKE :s OR LOWER(m.psa_company_name) LIKE :s)',
        { s: `%${search.toLowerCase()}%` },
      );
    }
    const counts = await this.accountCounts(qb.clone());
    applyFilter(qb, filter);
    const total = await qb.clone().getCount();
    const rows = await qb
      .select(['a.id AS id'])
      .orderBy('a.name', 'ASC')
      .addOrderBy('a.id', 'ASC')
      .offset((page - 1) * pageSize)
      .limit(pageSize)
      .getRawMany<{ id: number }>();
    const items = await this.accountViews(
      tenantId,
      rows.map((r) => Number(r.id)),
    );
    return { items, total, page, pageSize, filter, counts };
  }

  async account(tenantId: number, accountId: number) {
    const [view] = await this.accountViews(tenantId, [accountId]);
    if (!view) throw notFound('The AppRiver account');
    return view;
  }

  async mapAccount(member: MemberClaims, accountId: number, dto: MapAccountDto) {
    const tenant = await this.tenants.get(member.tenantId);
    const account = await this.ownAccount(member.tenantId, accountId);
    const client = this.tenants.client(tenant);
    const [company] = await client.companiesByIds([dto.psaCompanyId]);
    if (!company || company.deletedFlag || (company.status?.name && company.status.name !== 'Active')) {
      throw badRequest(
        'BAD_COMPANY',
        'That ConnectWise company does not exist or is not active; pick another one.',
      );
    }
    const agreements = (await this.agreementsOf(tenant, [company.id])).get(company.id) ?? [];
    let agreement: {
      agreementId: number | null;
      agreementName: string | null;
      agreementProblem: 'none_active' | 'choose' | null;
    };
    if (dto.agreementId) {
      const chosen = agreements.find((a) => a.id === dto.agreementId && isActiveAgreement(a));
      if (!chosen)
        throw badRequest(
          'BAD_AGREEMENT',
          `Agreement ${dto.agreementId} is not an active agreement of ${company.name}.`,
        );
      agreement = { agreementId: chosen.id, agreementName: chosen.name, agreementProblem: null };
    } else {
      const choice = chooseAgreement(agreements, tenant.settings.agreementType);
      agreement = {
        agreementId: choice.agreementId,
        agreementName: choice.agreementName,
        agreementProblem: choice.problem,
      };
    }
    return this.saveMapping(
      member,
      account,
      (before) => ({
        ...companyFields(company),
        ...agreement,
        // Picking the agreement of an existing mapping keeps how the company was matched.
        method:
          before?.psaCompanyId === company.id && before.method && !dto.method
            ? before.method
            : (dto.method ?? 'manual'),
        excluded: false,
      }),
      'account_mapped',
      `${account.name} → ${company.name}${agreement.agreementName ? ` (${agreement.agreementName})` : ''}`,
    );
  }

  /** Keeps the row (company cleared) so auto-match never re-applies what a person undid. */
  async unmapAccount(member: MemberClaims, accountId: number) {
    const account = await this.ownAccount(member.tenantId, accountId);
    const cleared = {
      psaCompanyId: null,
      psaCompanyIdentifier: null,
      psaCompanyName: null,
      agreementId: null,
      agreementName: null,
    };
    return this.saveMapping(
      member,
      account,
      () => ({ ...cleared, agreementProblem: null, method: null, excluded: false }),
      'account_unmapped',
      `${account.name} unmapped`,
    );
  }

  async exclude(member: MemberClaims, accountId: number, excluded: boolean) {
    const account = await this.ownAccount(member.tenantId, accountId);
    return this.saveMapping(
      member,
      account,
      () => ({ excluded }),
      excluded ? 'account_excluded' : 'account_included',
      `${account.name} ${excluded ? 'excluded from reconciliation' : 'included again'}`,
    );
  }

  /** One change to an account's mapping row, recorded in the audit trail with the row before and after. */
  private async saveMapping(
    member: MemberClaims,
    account: VendorAccount,
    fields: (before: AccountMapping | null) => Partial<AccountMapping>,
    action: string,
    summary: string,
  ) {
    const where = { tenantId: member.tenantId, accountId: account.id };
    const before = await this.accountMappings.findOne({ where });
    const beforeView = before ? mappingView(before) : null; // merge() below mutates `before`
    const row = this.accountMappings.merge(before ?? this.accountMappings.create(where), {
      ...fields(before),
      mappedBy: member.memberId,
      mappedAt: new Date(),
    });
    await this.accountMappings.save(row);
    await this.audit.record({
      tenantId: member.tenantId,
      actor: member.memberId,
      action,
      entity: 'account',
      entityId: account.id,
      before: beforeView,
      after: action === 'account_unmapped' ? null : mappingView(row),
      summary,
    });
    return this.account(member.tenantId, account.id);
  }

  async companyAgreements(tenantId: number, companyId: number) {
    const tenant = await this.tenants.get(tenantId);
    const list = (await this.agreementsOf(tenant, [companyId])).get(companyId) ?? [];
    return {
      items: list
        .filter(isActiveAgreement)
        .map((a) => ({ id: a.id, name: a.name, type: a.type?.name ?? null })),
    };
  }

  async searchCompanies(tenantId: number, search: string, page: number) {
    const tenant = await this.tenants.get(tenantId);
    const result = await this.tenants
      .client(tenant)
      .searchCompanies(search ?? '', Math.max(1, page || 1), 25);
    // Inactive companies are never offered (deleted ones are already filtered by ConnectWise).
    return {
      ...result,
      items: result.items
        .filter((c) => !c.status?.name || c.status.name === 'Active')
        .map((c) => ({ id: c.id, identifier: c.identifier, name: c.name })),
    };
  }

  // ---- services ----

  async listServices(tenantId: number) {
    const [services, mappings, usage, suggestions] = await Promise.all([
      this.services.find({
        where: { tenantId, goneAt: IsNull() },
        order: { productName: 'ASC', term: 'ASC', frequency: 'ASC' },
      }),
      this.serviceMappings.find({ where: { tenantId } }),
      this.subscriptions
        .createQueryBuilder('s')
        .select('s.service_id', 'serviceId')
        .addSelect('COUNT(DISTINCT s.account_id)', 'accounts')
        .where('s.tenant_id = :tenantId AND s.gone_at IS NULL', { tenantId })
        .groupBy('s.service_id')
        .getRawMany<{ serviceId: number; accounts: number }>(),
      this.suggestions.find({ where: { tenantId, kind: 'service' }, order: { rank: 'ASC' } }),
    ]);
    const mappingBy = new Map(mappings.map((m) => [m.serviceId, m]));
    const usageBy = new Map(usage.map((u) => [Number(u.serviceId), Number(u.accounts)]));
    const suggestionsBy = group(suggestions, (s) => s.subjectId);
    return {
      items: services.map((s) => {
        const m = mappingBy.get(s.id);
        return {
          id: s.id,
          serviceKey: s.serviceKey,
          productName: s.productName,
          term: s.term,
          frequency: s.frequency,
          accounts: usageBy.get(s.id) ?? 0,
          mapping: m
            ? {
                psaProductId: m.psaProductId,
                psaProductIdentifier: m.psaProductIdentifier,
                psaProductDescription: m.psaProductDescription,
                mappedBy: m.mappedBy,
                mappedAt: m.mappedAt,
              }
            : null,
          suggestions: m ? [] : (suggestionsBy.get(s.id) ?? []).map(suggestionView),
        };
      }),
    };
  }

  async searchProducts(tenantId: number, search: string, page: number) {
    const tenant = await this.tenants.get(tenantId);
    const result = await this.tenants.client(tenant).searchCatalog(search ?? '', Math.max(1, page || 1), 25);
    return {
      ...result,
      items: result.items.map((p) => ({
        id: p.id,
        identifier: p.identifier,
        description: p.description,
        price: p.price ?? null,
        cost: p.cost ?? null,
      })),
    };
  }

  async mapService(member: MemberClaims, serviceId: number, dto: MapServiceDto) {
    const tenant = await this.tenants.get(member.tenantId);
    const service = await this.services.findOne({ where: { tenantId: member.tenantId, id: serviceId } });
    if (!service) throw notFound('The AppRiver service');
    const [item] = await this.tenants.client(tenant).catalogByIds([dto.psaProductId]);
    if (!item || item.inactiveFlag)
      throw badRequest(
        'BAD_PRODUCT',
        'That catalog item does not exist or is inactive; pick an active product.',
      );
    const before = await this.serviceMappings.findOne({ where: { tenantId: member.tenantId, serviceId } });
    const beforeView = before
      ? { psaProductId: before.psaProductId, identifier: before.psaProductIdentifier }
      : null;
    const row = this.serviceMappings.merge(
      before ?? this.serviceMappings.create({ tenantId: member.tenantId, serviceId }),
      {
        psaProductId: item.id,
        psaProductIdentifier: item.identifier,
        psaProductDescription: item.description,
        mappedBy: member.memberId,
        mappedAt: new Date(),
      },
    );
    await this.serviceMappings.save(row);
    await this.audit.record({
      tenantId: member.tenantId,
      actor: member.memberId,
      action: 'service_mapped',
      entity: 'service',
      entityId: serviceId,
      before: beforeView,
      after: { psaProductId: item.id, identifier: item.identifier },
      summary: `${serviceName(service)} → ${item.identifier}`,
    });
    return (await this.listServices(member.tenantId)).items.find((s) => s.id === serviceId);
  }

  async unmapService(member: MemberClaims, serviceId: number) {
    const before = await this.serviceMappings.findOne({ where: { tenantId: member.tenantId, serviceId } });
    if (!before) throw notFound('The service mapping');
    const service = await this.services.findOneBy({ tenantId: member.tenantId, id: serviceId });
    await this.serviceMappings.delete({ id: before.id, tenantId: member.tenantId });
    await this.audit.record({
      tenantId: member.tenantId,
      actor: member.memberId,
      action: 'service_unmapped',
      entity: 'service',
      entityId: serviceId,
      before: { psaProductId: before.psaProductId, identifier: before.psaProductIdentifier },
      after: null,
      summary: `${service ? serviceName(service) : `Service ${serviceId}`} unmapped from ${before.psaProductIdentifier}`,
    });
    return (await this.listServices(member.tenantId)).items.find((s) => s.id === serviceId);
  }

  // ---- finish ----

  async review(tenantId: number) {
    const [mappings, services, accounts] = await Promise.all([
      this.accountMappings.find({ where: { tenantId } }),
      this.listServices(tenantId),
      this.accounts.find({ where: { tenantId, goneAt: IsNull() } }),
    ]);
    const accountById = new Map(accounts.map((a) => [a.id, a]));
    const mapped = mappings.filter((m) => m.psaCompanyId && !m.excluded && accountById.has(m.accountId));
    const mappedServices = services.items.filter((s) => s.mapping);
    const mappedAccountIds = new Set(mapped.map((m) => m.accountId));
    const usedByMapped = await this.subscriptions.find({
      where: { tenantId, goneAt: IsNull() },
      select: { accountId: true, serviceId: true },
    });
    const unmappedInUse = services.items.filter(
      (s) =>
        !s.mapping && usedByMapped.some((u) => u.serviceId === s.id && mappedAccountIds.has(u.accountId)),
    );
    const withoutAgreement = mapped.filter((m) => !m.agreementId && accountById.get(m.accountId)!.billable);
    const sharedAgreements = [
      ...group(
        mapped.filter((m) => m.agreementId),
        (m) => m.agreementId!,
      ).values(),
    ]
      .filter((onAgreement) => onAgreement.length > 1)
      .map((onAgreement) => ({
        agreement: onAgreement[0].agreementName,
        names: onAgreement.map((m) => accountById.get(m.accountId)!.name).sort((a, b) => a.localeCompare(b)),
      }));
    const blockers = [
      ...(mapped.length ? [] : ['Map at least one AppRiver account to a ConnectWise company.']),
      ...(mappedServices.length ? [] : ['Map at least one AppRiver service to a ConnectWise product.']),
    ];
    return {
      accounts: mapped
        .map((m) => ({
          accountId: m.accountId,
          name: accountById.get(m.accountId)!.name,
          company: m.psaCompanyName,
          agreement: m.agreementName,
          method: m.method ? METHOD_LABELS[m.method] : null,
        }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      services: mappedServices.map((s) => ({
        serviceId: s.id,
        service: serviceName(s),
        product: s.mapping!.psaProductIdentifier,
        description: s.mapping!.psaProductDescription,
        accounts: s.accounts,
      })),
      warnings: [
        ...withoutAgreement.map(
          (m) =>
            `${accountById.get(m.accountId)!.name}: no agreement chosen, so its usage cannot be written back.`,
        ),
        ...sharedAgreements.map(
          (s) =>
            `${s.names.join(', ')} bill to the same agreement (${s.agreement}): their seats are added together on its additions.`,
        ),
        ...unmappedInUse.map(
          (s) => `${serviceName(s)} is used by ${s.accounts} account(s) but not mapped to a product.`,
        ),
      ],
      blockers,
      canFinish: blockers.length === 0,
    };
  }

  // ---- helpers ----

  private async ownAccount(tenantId: number, accountId: number): Promise<VendorAccount> {
    const account = await this.accounts.findOne({ where: { tenantId, id: accountId } });
    if (!account) throw notFound('The AppRiver account');
    return account;
  }

  private async agreementsOf(tenant: Tenant, companyIds: number[]): Promise<Map<number, CwAgreement[]>> {
    if (!companyIds.length) return new Map();
    const list = await this.tenants.client(tenant).agreementsByCompanyIds(companyIds);
    return group(list, (a) => a.company.id);
  }

  private async accountCounts(qb: ReturnType<Repository<VendorAccount>['createQueryBuilder']>) {
    const counts: Record<AccountFilter, number> = {
      all: 0,
      unmapped: 0,
      suggested: 0,
      mapped: 0,
      excluded: 0,
      not_billable: 0,
    };
    for (const filter of ACCOUNT_FILTERS) {
      const c = qb.clone();
      applyFilter(c, filter);
      counts[filter] = await c.getCount();
    }
    return counts;
  }

  private async accountViews(tenantId: number, ids: number[]) {
    if (!ids.length) return [];
    const [accounts, mappings, suggestions, subs] = await Promise.all([
      this.accounts.find({ where: { tenantId, id: In(ids) } }),
      this.accountMappings.find({ where: { tenantId, accountId: In(ids) } }),
      this.suggestions.find({
        where: { tenantId, kind: 'account', subjectId: In(ids) },
        order: { rank: 'ASC' },
      }),
      this.subscriptions
        .createQueryBuilder('s')
        .select('s.account_id', 'accountId')
        .addSelect('COUNT(*)', 'n')
        .where('s.tenant_id = :tenantId AND s.gone_at IS NULL AND s.account_id IN (:...ids)', {
          tenantId,
          ids,
        })
        .groupBy('s.account_id')
        .getRawMany<{ accountId: number; n: number }>(),
    ]);
    const byId = new Map(accounts.map((a) => [a.id, a]));
    const mappingBy = new Map(mappings.map((m) => [m.accountId, m]));
    const suggestionsBy = group(suggestions, (s) => s.subjectId);
    const subsBy = new Map(subs.map((s) => [Number(s.accountId), Number(s.n)]));
    return ids
      .filter((id) => byId.has(id))
      .map((id) => {
        const a = byId.get(id)!;
        const m = mappingBy.get(id);
        const mapped = Boolean(m?.psaCompanyId);
        return {
          id: a.id,
          customerId: a.customerId,
          customerNumber: a.customerNumber,
          name: a.name,
          customerType: a.customerType,
          externalNumber: a.externalNumber,
          website: a.website,
          billable: a.billable,
          problem: a.problem,
          subscriptions: subsBy.get(id) ?? 0,
          excluded: Boolean(m?.excluded),
          mapping: mapped
            ? {
                ...mappingView(m!),
                methodLabel: m!.method ? METHOD_LABELS[m!.method] : null,
                agreementProblem: m!.agreementId ? null : (m!.agreementProblem ?? 'choose'),
              }
            : null,
          suggestions: mapped || m?.excluded ? [] : (suggestionsBy.get(id) ?? []).map(suggestionView),
        };
      });
  }
}

/** An AppRiver service in words, as billing staff know it (its key joins the same three parts with "|"). */
export function serviceName(s: Pick<VendorService, 'productName' | 'term' | 'frequency'>): string {
  return `${s.productName} (${s.term} term, billed ${s.frequency})`;
}

function applyFilter(qb: ReturnType<Repository<VendorAccount>['createQueryBuilder']>, filter: AccountFilter) {
  const unmapped = 'a.billable = :yes AND (m.id IS NULL OR (m.psa_company_id IS NULL AND m.excluded = :no))';
  switch (filter) {
    case 'unmapped':
      return qb.andWhere(unmapped, { yes: true, no: false });
    case 'suggested':
      return qb.andWhere(
        `${unmapped} AND EXISTS (SELECT 1 FROM suggestions g WHERE g.tenant_id = a.tenant_id AND g.kind = 'account' AND g.subject_id = a.id)`,
        { yes: true, no: false },
      );
    case 'mapped':
      return qb.andWhere('m.psa_company_id IS NOT NULL AND m.excluded = :no', { no: false });
    case 'excluded':
      return qb.andWhere('m.excluded = :yes', { yes: true });
    case 'not_billable':
      return qb.andWhere('a.billable = :no', { no: false });
    default:
      return qb;
  }
}

function companyFields(c: Pick<CwCompany, 'id' | 'identifier' | 'name'>) {
  return { psaCompanyId: c.id, psaCompanyIdentifier: c.identifier, psaCompanyName: c.name };
}

function mappingView(m: AccountMapping) {
  return {
    psaCompanyId: m.psaCompanyId,
    psaCompanyIdentifier: m.psaCompanyIdentifier,
    psaCompanyName: m.psaCompanyName,
    agreementId: m.agreementId,
    agreementName: m.agreementName,
    method: m.method,
    excluded: m.excluded,
    mappedBy: m.mappedBy,
    mappedAt: m.mappedAt,
  };
}

function suggestionView(s: Suggestion) {
  return { targetId: s.targetId, code: s.targetCode, label: s.targetLabel, score: s.score, reason: s.reason };
}
