import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, In, IsNull, Not, Repository } from 'typeorm';
import { forEachChunk } from '../common/collections';
import { AppRiverError } from '../appriver/appriver.errors';
import { ImportService } from '../appriver/import.service';
import { VendorAccount, VendorService, VendorSubscription } from '../appriver/vendor.entities';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ConnectWiseError } from '../connectwise/connectwise.errors';
import { AccountMapping, ServiceMapping } from '../mapping/mapping.entities';
import { Tenant } from '../tenants/tenant.entity';
import { TenantsService } from '../tenants/tenants.service';
import { JobRunner } from './job-runner';
import { reconcile, ReconcileInput } from './reconcile';
import { SyncRun, UnmappedItem, UsageLine } from './sync.entities';

const JOB = 'sync';
const ACTIVE: SyncRun['status'][] = ['queued', 'running'];

export interface SyncStatus {
  state: 'idle' | SyncRun['status'];
  runId: number | null;
  step: string | null;
  progress: { done: number; total: number };
  counts: Record<string, number> | null;
  error: string | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** The newest run whose lines the Usage screen can show. */
  latestCompletedRunId: number | null;
}

@Injectable()
export class SyncService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Sync');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly jobs: JobRunner,
    private readonly importer: ImportService,
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(SyncRun) private readonly runs: Repository<SyncRun>,
    @InjectRepository(UsageLine) private readonly lines: Repository<UsageLine>,
    @InjectRepository(VendorAccount) private readonly accounts: Repository<VendorAccount>,
    @InjectRepository(VendorService) private readonly services: Repository<VendorService>,
    @InjectRepository(VendorSubscription) private readonly subscriptions: Repository<VendorSubscription>,
    @InjectRepository(AccountMapping) private readonly accountMappings: Repository<AccountMapping>,
    @InjectRepository(ServiceMapping) private readonly serviceMappings: Repository<ServiceMapping>,
  ) {
    this.jobs.register(JOB, (p) => this.execute(Number(p.runId)));
  }

  /** A restart never leaves a tenant stuck: runs that were in flight are failed with an explanation. */
  async onApplicationBootstrap(): Promise<void> {
    await this.runs.update(
      { status: In(ACTIVE) },
      {
        status: 'failed',
        error: 'Interrupted by a restart of the service. Click Sync now to run it again.',
        finishedAt: new Date(),
      },
    );
    if (this.config.jobsEnabled) {
      this.timer = setInterval(() => void this.scheduleTick(), 60_000);
      this.timer.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Starts a run, or returns the one already queued or running for this tenant. */
  async start(tenantId: number, trigger: SyncRun['trigger'], requestedBy: string | null): Promise<SyncRun> {
    const running = await this.runs.findOne({
      where: { tenantId, status: In(ACTIVE) },
      order: { id: 'DESC' },
    });
    if (running) return running;
    const run = await this.runs.save(
      this.runs.create({
        tenantId,
        status: 'queued',
        trigger,
        requestedBy,
        progressDone: 0,
        progressTotal: 0,
      }),
    );
    await this.jobs.enqueue(JOB, `sync:${tenantId}`, { runId: run.id });
    return run;
  }

  async status(tenantId: number): Promise<SyncStatus> {
    const [last, completed] = await Promise.all([
      this.runs.findOne({ where: { tenantId }, order: { id: 'DESC' } }),
      this.runs.findOne({ where: { tenantId, status: 'succeeded' }, order: { id: 'DESC' } }),
    ]);
    return {
      state: last?.status ?? 'idle',
      runId: last?.id ?? null,
      step: last?.step ?? null,
      progress: { done: last?.progressDone ?? 0, total: last?.progressTotal ?? 0 },
      counts: last?.counts ?? null,
      error: last?.error ?? null,
      startedAt: last?.startedAt ?? null,
      finishedAt: last?.finishedAt ?? null,
      latestCompletedRunId: completed?.id ?? null,
    };
  }

  latestCompletedRun(tenantId: number): Promise<SyncRun | null> {
    return this.runs.findOne({ where: { tenantId, status: 'succeeded' }, order: { id: 'DESC' } });
  }

  /** The job: import from AppRiver, read the mapped agreements from ConnectWise, reconcile, store the lines. */
  async execute(runId: number): Promise<void> {
    const run = await this.runs.findOne({ where: { id: runId } });
    if (!run || run.status !== 'queued') return; // already handled (or failed by a restart)
    const tenantId = run.tenantId;
    const started = Date.now();
    await this.runs.update(
      { id: run.id },
      { status: 'running', startedAt: new Date(), step: 'Importing from AppRiver' },
    );
    try {
      await this.importer.run(
        tenantId,
        (done, total) =>
          void this.runs.update({ id: run.id }, { progressDone: done, progressTotal: total + 1 }),
      );
      const tenant = await this.tenants.get(tenantId);
      const input = await this.gather(tenant, run);
      const result = reconcile(input);
      await this.store(tenant, run, result);
      await this.runs.update(
        { id: run.id },
        {
          status: 'succeeded',
          step: null,
          finishedAt: new Date(),
          counts: { ...result.counts, unmapped: result.unmapped.length, durationMs: Date.now() - started },
        },
      );
      this.logger.log(
        `Tenant ${tenantId}: sync ${run.id} done in ${Date.now() - started} ms (${result.lines.length} lines)`,
      );
    } catch (error) {
      const message = explain(error);
      this.logger.warn(`Tenant ${tenantId}: sync ${run.id} failed: ${(error as Error).message}`);
      await this.runs.update(
        { id: run.id },
        { status: 'failed', step: null, error: message, finishedAt: new Date() },
      );
      await this.audit.record({
        tenantId,
        actor: 'system',
        action: 'sync_failed',
        entity: 'sync_run',
        entityId: run.id,
        summary: message,
      });
    }
  }

  private async gather(tenant: Tenant, run: SyncRun): Promise<ReconcileInput> {
    const tenantId = tenant.id;
    await this.runs.update({ id: run.id }, { step: 'Reading ConnectWise agreements' });
    const [accounts, mappings, services, serviceMappings, subscriptions] = await Promise.all([
      this.accounts.find({ where: { tenantId, goneAt: IsNull() } }),
      this.accountMappings.find({ where: { tenantId } }),
      this.services.find({ where: { tenantId } }),
      this.serviceMappings.find({ where: { tenantId } }),
      this.subscriptions.find({ where: { tenantId, goneAt: IsNull() } }),
    ]);
    const mappingBy = new Map(mappings.map((m) => [m.accountId, m]));
    const agreementIds = [
      ...new Set(
        mappings.filter((m) => m.psaCompanyId && !m.excluded && m.agreementId).map((m) => m.agreementId!),
      ),
    ];
    const productIds = [...new Set(serviceMappings.map((m) => m.psaProductId))];
    const client = this.tenants.client(tenant);
    let done = 0;
    const total = agreementIds.length + 1;
    await this.runs.update({ id: run.id }, { progressDone: 0, progressTotal: total });
    const [additionLists, catalog] = await Promise.all([
      Promise.all(
        agreementIds.map(async (agreementId) => {
          const list = await client.additions(agreementId);
          if (++done % 10 === 0 || done === agreementIds.length)
            await this.runs.update({ id: run.id }, { progressDone: done });
          return list.map((a) => ({ ...a, agreementId }));
        }),
      ),
      client.catalogByIds(productIds),
    ]);
    const serviceMappingBy = new Map(serviceMappings.map((m) => [m.serviceId, m]));
    return {
      today: new Date().toISOString(),
      settings: { trialsBill: tenant.settings.trialsBill },
      accounts: accounts.map((a) => {
        const m = mappingBy.get(a.id);
        return {
          accountId: a.id,
          name: a.name,
          billable: a.billable,
          notBillableReason: a.problem,
          mapping: m?.psaCompanyId
            ? {
                companyId: m.psaCompanyId,
                companyName: m.psaCompanyName ?? '',
                agreementId: m.agreementId,
                excluded: m.excluded,
              }
            : m?.excluded
              ? { companyId: 0, companyName: '', agreementId: null, excluded: true }
              : null,
        };
      }),
      services: services.map((s) => ({
        serviceId: s.id,
        label: s.serviceKey,
        mapping: serviceMappingBy.has(s.id) ? { productId: serviceMappingBy.get(s.id)!.psaProductId } : null,
      })),
      subscriptions: subscriptions.map((s) => ({
        accountId: s.accountId,
        serviceId: s.serviceId,
        subscriptionKey: s.subscriptionKey,
        status: s.status,
        isTrial: s.isTrial,
        quantity: s.quantity,
      })),
      additions: additionLists.flat().map((a) => ({
        agreementId: a.agreementId,
        additionId: a.id,
        productId: a.product.id,
        quantity: a.quantity,
        unitPrice: a.unitPrice ?? null,
        unitCost: a.unitCost ?? null,
        cancelledDate: a.cancelledDate ?? null,
      })),
      catalog: catalog.map((c) => ({
        productId: c.id,
        identifier: c.identifier,
        description: c.description,
        price: c.price ?? null,
        cost: c.cost ?? null,
      })),
    };
  }

  private async store(tenant: Tenant, run: SyncRun, result: ReturnType<typeof reconcile>): Promise<void> {
    await this.runs.update({ id: run.id }, { step: 'Saving results' });
    const tenantId = tenant.id;
    const [accounts, services] = await Promise.all([
      this.accounts.find({ where: { tenantId }, select: { id: true, name: true } }),
      this.services.find({ where: { tenantId }, select: { id: true, serviceKey: true } }),
    ]);
    const accountName = new Map(accounts.map((a) => [a.id, a.name]));
    const serviceName = new Map(services.map((s) => [s.id, s.serviceKey]));
    // Dismissed "for this period": the same difference dismissed earlier this month stays dismissed.
    const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
    const dismissed = await this.lines.find({
      where: { tenantId, reviewStatus: 'dismissed', reviewedAt: Not(IsNull()) },
    });
    const dismissedKey = new Set(
      dismissed
        .filter((l) => l.reviewedAt! >= monthStart)
        .map((l) => `${l.accountId}:${l.productId}:${l.vendorQty}:${l.psaQty}`),
    );
    const rows = result.lines.map((l) =>
      this.lines.create({
        tenantId,
        runId: run.id,
        accountId: l.accountId,
        accountName: accountName.get(l.accountId) ?? '',
        companyId: l.companyId,
        companyName: '',
        agreementId: l.agreementId,
        productId: l.productId,
        productIdentifier: l.productIdentifier,
        serviceLabel: l.serviceIds
          .map((id) => serviceName.get(id) ?? '')
          .join(', ')
          .slice(0, 500),
        vendorQty: l.vendorQty,
        psaQty: l.psaQty,
        kind: l.kind,
        reason: l.reason,
        reasonText: l.reasonText,
        additionId: l.additionId,
        unitPrice: l.unitPrice,
        unitCost: l.unitCost,
        revenueChange: l.revenueChange,
        difference: l.vendorQty == null ? null : l.vendorQty - (l.psaQty ?? 0),
        reviewStatus:
          l.kind === 'in_sync' || dismissedKey.has(`${l.accountId}:${l.productId}:${l.vendorQty}:${l.psaQty}`)
            ? l.kind === 'in_sync'
              ? 'pending'
              : 'dismissed'
            : 'pending',
      }),
    );
    const companyNames = new Map(
      (await this.accountMappings.find({ where: { tenantId } })).map((m) => [
        m.accountId,
        m.psaCompanyName ?? '',
      ]),
    );
    for (const r of rows) r.companyName = companyNames.get(r.accountId) ?? '';
    // Small transactions with a pause between them: SQLite writes block the event loop, and 40,000 lines in one
    // go would freeze every screen for seconds. Safe: only a run marked succeeded is ever shown, so the lines of
    // a run interrupted here are never read.
    const unmapped = result.unmapped.map((u) =>
      this.dataSource.getRepository(UnmappedItem).create({
        tenantId,
        runId: run.id,
        kind: u.kind,
        accountId: u.accountId,
        serviceId: u.serviceId,
        quantity: u.quantity,
      }),
    );
    for (const [repo, items] of [
      [this.lines, rows],
      [this.dataSource.getRepository(UnmappedItem), unmapped],
    ] as const) {
      await forEachChunk(items as object[], 500, (chunk) => (repo as Repository<object>).save(chunk));
    }
  }

  /** Daily at the tenant's hour (UTC), or weekly on Mondays; at most one scheduled run a day. */
  async scheduleTick(now = new Date()): Promise<number> {
    const tenants = await this.tenants.allInstalled();
    let started = 0;
    for (const t of tenants) {
      const s = t.settings;
      if (!t.setupComplete || s.schedule === 'off' || now.getUTCHours() !== s.scheduleHour) continue;
      if (s.schedule === 'weekly' && now.getUTCDay() !== 1) continue;
      const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
      const last = await this.runs.findOne({
        where: { tenantId: t.id, trigger: 'schedule' },
        order: { id: 'DESC' },
      });
      if (last && last.createdAt >= dayStart) continue;
      await this.start(t.id, 'schedule', null);
      started++;
    }
    return started;
  }
}

function explain(error: unknown): string {
  if (error instanceof AppRiverError && (error.kind === 'invalid_grant' || error.kind === 'invalid_client')) {
    return 'AppRiver needs to be reconnected (its authorization was revoked or expired). Click Reconnect on the Connect screen, then Sync now.';
  }
  if (error instanceof AppRiverError)
    return `AppRiver could not be read: ${sentence(error.message)} Nothing was changed; try Sync now again later.`;
  if (error instanceof ConnectWiseError)
    return `ConnectWise could not be read: ${sentence(error.userMessage)} Nothing was changed; try Sync now again later.`;
  return `The sync failed unexpectedly (${(error as Error).message}). Nothing was changed; try Sync now again.`;
}

const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);
