import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, IsNull, LessThan, Repository } from 'typeorm';
import { forEachChunk } from '../common/collections';
import { AppRiverClient } from './appriver.client';
import { AppRiverError } from './appriver.errors';
import type { ArCustomer, ArSubscription, ArSubscriptionDetail } from './appriver.types';
import { ConnectionRepository } from './connection.repository';
import { TokensService } from './tokens.service';
import { VendorAccount, VendorService, VendorSubscription } from './vendor.entities';

export const BILLING_ROLE_HELP =
  'The AppRiver user who authorized us lacks the Billing role, so AppRiver refuses subscriptions. In the AppRiver console: Partner Services > Partner Manage > User Management > (user) > Actions > Edit > Has Billing Role. Then click Reconnect.';

export interface ImportProgress {
  (done: number, total: number): void;
}

export interface ImportResult {
  accounts: number;
  services: number;
  subscriptions: number;
  problems: string[];
}

/** `ProductName|SubscriptionTerm|BillingFrequency`: one product sold annual and monthly maps to different PSA products. */
export const serviceKey = (s: Pick<ArSubscription, 'productName' | 'term' | 'frequency'>) =>
  `${s.productName}|${s.term ?? ''}|${s.frequency ?? ''}`;

const NOT_BILLABLE: Record<string, string> = {
  partner: 'This is your own partner record in AppRiver; it is not billed to a customer.',
  referred:
    'Referred customer: AppRiver bills them directly and refuses their subscriptions to the partner API.',
};

/**
 * Imports AppRiver customers as vendor accounts and their subscriptions and services. Updates in place (keyed on
 * AppRiver's ids), never duplicates, and marks what disappeared as gone instead of deleting it, so mappings survive.
 */
@Injectable()
export class ImportService {
  private readonly logger = new Logger('AppRiverImport');
  private readonly running = new Map<number, Promise<ImportResult>>();
  /** Run after every successful import (auto-matching of new accounts registers here; appriver does not know mapping). */
  private readonly afterImport: ((tenantId: number) => Promise<unknown>)[] = [];

  onImported(listener: (tenantId: number) => Promise<unknown>): void {
    this.afterImport.push(listener);
  }

  constructor(
    private readonly tokens: TokensService,
    private readonly connections: ConnectionRepository,
    @InjectRepository(VendorAccount) private readonly accounts: Repository<VendorAccount>,
    @InjectRepository(VendorService) private readonly services: Repository<VendorService>,
    @InjectRepository(VendorSubscription) private readonly subscriptions: Repository<VendorSubscription>,
  ) {}

  client(tenantId: number): AppRiverClient {
    const e = this.tokens.endpoints;
    return new AppRiverClient({
      apiBaseUrl: e.apiBaseUrl,
      pageSize: e.pageSize,
      concurrency: e.concurrency,
      getAccessToken: () => this.tokens.accessToken(tenantId),
      onUnauthorized: () => this.tokens.refresh(tenantId),
    });
  }

  /** One import per tenant at a time; a second caller shares the running one. */
  run(tenantId: number, progress?: ImportProgress): Promise<ImportResult> {
    const existing = this.running.get(tenantId);
    if (existing) return existing;
    const p = this.doRun(tenantId, progress).finally(() => this.running.delete(tenantId));
    this.running.set(tenantId, p);
    return p;
  }

  private async doRun(tenantId: number, progress?: ImportProgress): Promise<ImportResult> {
    // Whole seconds: MySQL DATETIME keeps no fraction, so "seen before this import" must compare at that precision.
    const started = new Date(Math.floor(Date.now() / 1000) * 1000);
    const client = this.client(tenantId);
    const problems: string[] = [];
    const customers = await client.listCustomers();
    const accountByCustomer = await this.saveAccounts(tenantId, customers, started);

    const billable = customers.filter((c) => accountByCustomer.get(c.customerId)!.billable);
    let done = 0;
    progress?.(0, billable.length);
    // Promises, not ids: customers are imported in parallel and two of them may bring the same new service.
    const serviceIds = new Map<string, Promise<number>>();
    let subscriptionCount = 0;
    let billingRoleMissing = false;

    await Promise.all(
      billable.map(async (customer) => {
        const account = accountByCustomer.get(customer.customerId)!;
        try {
          const subs = await client.listSubscriptions(customer.customerId, {
            customerType: customer.customerType,
          });
          const details = await Promise.all(
            subs.map((s) =>
              client.getSubscription(customer.customerId, s.subscriptionKey, {
                customerType: customer.customerType,
              }),
            ),
          );
          await this.saveSubscriptions(tenantId, account, details, serviceIds, started);
          subscriptionCount += details.length;
          if (account.problem) await this.accounts.update({ id: account.id }, { problem: null });
        } catch (error) {
          if (
            !(error instanceof AppRiverError) ||
            error.kind === 'invalid_grant' ||
            error.kind === 'unauthorized'
          )
            throw error;
          if (error.kind === 'forbidden_billing_role') billingRoleMissing = true;
          const problem =
            error.kind === 'forbidden_referred'
              ? NOT_BILLABLE.referred
              : `AppRiver refused this customer's subscriptions: ${error.message}`;
          await this.accounts.update({ id: account.id }, { problem });
          problems.push(`${customer.name}: ${problem}`);
        } finally {
          progress?.(++done, billable.length);
        }
      }),
    );

    await this.accounts.update(
      { tenantId, lastSeenAt: LessThan(started), goneAt: IsNull() },
      { goneAt: started },
    );
    // A service is only gone if every customer could be read: a refused customer must not make its services vanish.
    if (!problems.length) {
      await this.services.update(
        { tenantId, lastSeenAt: LessThan(started), goneAt: IsNull() },
        { goneAt: started },
      );
    }
    // Auto-matching runs before the status says "Ready", so the Accounts screen never shows a half-matched list.
    for (const listener of this.afterImport) await listener(tenantId);
    const connection = await this.connections.get(tenantId);
    const message = billingRoleMissing
      ? BILLING_ROLE_HELP
      : problems.length
        ? `${problems.length} customer(s) could not be read; see the Accounts screen.`
        : null;
    await this.connections.repo.update(
      { tenantId },
      {
        lastImportAt: new Date(),
        status: billingRoleMissing ? 'error' : connection.status === 'active' ? 'active' : 'ready',
        message,
      },
    );
    this.logger.log(
      `Tenant ${tenantId}: imported ${customers.length} customers, ${subscriptionCount} subscriptions`,
    );
    return {
      accounts: customers.length,
      services: serviceIds.size,
      subscriptions: subscriptionCount,
      problems,
    };
  }

  private async saveAccounts(tenantId: number, customers: ArCustomer[], seenAt: Date) {
    const existing = await this.accounts.find({ where: { tenantId } });
    const byCustomer = new Map(existing.map((a) => [a.customerId, a]));
    const rows = customers.map((c) => {
      const type = (c.customerType ?? '').toLowerCase();
      const reason = NOT_BILLABLE[type] ?? null;
      return Object.assign(
        byCustomer.get(c.customerId) ?? this.accounts.create({ tenantId, customerId: c.customerId }),
        {
          customerNumber: c.customerNumber,
          name: c.name,
          customerType: c.customerType,
          externalNumber: c.externalAccountNumber,
          website: c.website,
          billable: !reason,
          problem: reason,
          lastSeenAt: seenAt,
          goneAt: null,
        },
      );
    });
    // Chunks in their own transactions, the loop free in between: a re-import of the same rows is harmless.
    const saved: VendorAccount[] = [];
    await forEachChunk(rows, 200, async (chunk) => saved.push(...(await this.accounts.save(chunk))));
    return new Map(saved.map((a) => [a.customerId, a]));
  }

  private async saveSubscriptions(
    tenantId: number,
    account: VendorAccount,
    details: ArSubscriptionDetail[],
    serviceIds: Map<string, Promise<number>>,
    seenAt: Date,
  ) {
    for (const d of details) {
      const key = serviceKey(d);
      if (!serviceIds.has(key)) serviceIds.set(key, this.upsertService(tenantId, d, key, seenAt));
    }
    const ids = new Map<string, number>();
    for (const d of details) ids.set(serviceKey(d), await serviceIds.get(serviceKey(d))!);
    const existing = await this.subscriptions.find({ where: { tenantId, accountId: account.id } });
    const byKey = new Map(existing.map((s) => [s.subscriptionKey, s]));
    const rows = details.map((d) =>
      Object.assign(
        byKey.get(d.subscriptionKey) ??
          this.subscriptions.create({ tenantId, accountId: account.id, subscriptionKey: d.subscriptionKey }),
        {
          serviceId: ids.get(serviceKey(d))!,
          status: d.status ?? 'Unknown',
          isTrial: d.isTrial,
          quantity: d.quantity,
          totalLicenses: d.totalLicenses,
          assignedLicenses: d.assignedLicenses,
          lastSeenAt: seenAt,
          goneAt: null,
        },
      ),
    );
    await this.subscriptions.save(rows);
    const seen = new Set(details.map((d) => d.subscriptionKey));
    const gone = existing.filter((s) => !seen.has(s.subscriptionKey) && !s.goneAt).map((s) => s.id);
    if (gone.length) await this.subscriptions.update({ id: In(gone) }, { goneAt: seenAt });
  }

  private async upsertService(
    tenantId: number,
    d: ArSubscription,
    key: string,
    seenAt: Date,
  ): Promise<number> {
    const values = {
      productName: d.productName,
      term: d.term ?? '',
      frequency: d.frequency ?? '',
      lastSeenAt: seenAt,
      goneAt: null,
    };
    const found = await this.services.findOne({ where: { tenantId, serviceKey: key } });
    if (found) {
      await this.services.update({ id: found.id }, values);
      return found.id;
    }
    try {
      return (await this.services.save(this.services.create({ tenantId, serviceKey: key, ...values }))).id;
    } catch (error) {
      // Another import (another instance) inserted it first: the unique key makes that safe; use theirs.
      const winner = await this.services.findOne({ where: { tenantId, serviceKey: key } });
      if (!winner) throw error;
      return winner.id;
    }
  }

  /** Counts for the status card while an import is running. */
  async counts(tenantId: number): Promise<{ accounts: number; services: number }> {
    const [accounts, services] = await Promise.all([
      this.accounts.count({ where: { tenantId, goneAt: IsNull() } }),
      this.services.count({ where: { tenantId, goneAt: IsNull() } }),
    ]);
    return { accounts, services };
  }
}
