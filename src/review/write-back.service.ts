import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { In, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { APP_CONFIG, AppConfig } from '../config/config';
import { group } from '../common/collections';
import { limiter } from '../common/http-retry';
import { ConnectWiseClient } from '../connectwise/connectwise.client';
import { ConnectWiseError } from '../connectwise/connectwise.errors';
import type { CwAddition } from '../connectwise/connectwise.types';
import { UsageLine } from '../sync/sync.entities';
import { TenantsService } from '../tenants/tenants.service';
import { WriteBack } from './review.entities';
import { checkBeforeWrite, WriteBackPayload } from './write-back.plan';

/** A write that keeps failing on 429/5xx is retried on later ticks, then given up with the last error. */
const MAX_ATTEMPTS = 8;

/**
 * The outbox worker: sends approved changes to ConnectWise, once each. Writes for one agreement share one fresh
 * read of its additions (the stale/adopt check), agreements go in parallel up to the tenant's bound.
 */
@Injectable()
export class WriteBackService implements OnApplicationBootstrap {
  private readonly logger = new Logger('WriteBack');
  private readonly running = new Map<number, Promise<void>>();
  private readonly again = new Set<number>();

  constructor(
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @InjectRepository(WriteBack) private readonly outbox: Repository<WriteBack>,
    @InjectRepository(UsageLine) private readonly lines: Repository<UsageLine>,
  ) {}

  /** After a restart, writes that were in flight are checked again (the adopt rule makes that safe). */
  async onApplicationBootstrap(): Promise<void> {
    await this.outbox.update({ status: 'sending' }, { status: 'pending' });
  }

  /** Resumes every tenant's pending writes; called once the server listens (the sandbox needs its own address). */
  async resumeAll(): Promise<void> {
    const pending = await this.outbox.find({ where: { status: 'pending' }, select: { tenantId: true } });
    for (const tenantId of new Set(pending.map((w) => w.tenantId))) void this.kick(tenantId);
  }

  /** Starts (or re-arms) the worker for a tenant; returns when its outbox is drained. */
  kick(tenantId: number): Promise<void> {
    const current = this.running.get(tenantId);
    if (current) {
      this.again.add(tenantId);
      return current;
    }
    const run = (async () => {
      do {
        this.again.delete(tenantId);
        await this.drain(tenantId).catch((error) =>
          this.logger.error(`Tenant ${tenantId}: ${(error as Error).stack}`),
        );
      } while (this.again.has(tenantId));
    })().finally(() => this.running.delete(tenantId));
    this.running.set(tenantId, run);
    return run;
  }

  private async drain(tenantId: number): Promise<void> {
    const pending = await this.outbox.find({ where: { tenantId, status: 'pending' }, order: { id: 'ASC' } });
    if (!pending.length) return;
    const tenant = await this.tenants.get(tenantId);
    const client = this.tenants.client(tenant);
    const byAgreement = group(pending, (wb) => (wb.payload as WriteBackPayload).agreementId);
    const limit = limiter(this.config.connectwise.concurrency);
    await Promise.all(
      [...byAgreement].map(([agreementId, group]) =>
        limit(() => this.sendGroup(client, tenantId, agreementId, group)),
      ),
    );
  }

  private async sendGroup(
    client: ConnectWiseClient,
    tenantId: number,
    agreementId: number,
    group: WriteBack[],
  ) {
    const claimed: WriteBack[] = [];
    for (const wb of group) {
      // Claiming is a conditional update: of two workers (or two instances) exactly one gets each write.
      const result = await this.outbox.update(
        { id: wb.id, status: 'pending' },
        { status: 'sending', attempts: wb.attempts + 1 },
      );
      if (result.affected) claimed.push(wb);
    }
    if (!claimed.length) return;
    let additions: CwAddition[];
    try {
      additions = await client.additions(agreementId);
    } catch (error) {
      for (const wb of claimed) await this.failed(tenantId, wb, error);
      return;
    }
    for (const wb of claimed) {
      try {
        const written = await this.send(client, wb, additions);
        if (written) additions = [...additions.filter((a) => a.id !== written.id), written];
      } catch (error) {
        await this.failed(tenantId, wb, error);
      }
    }
  }

  private async send(
    client: ConnectWiseClient,
    wb: WriteBack,
    additions: CwAddition[],
  ): Promise<CwAddition | null> {
    const p = wb.payload as WriteBackPayload;
    if (wb.op === 'flag_only') {
      await this.finish(
        wb,
        'done',
        null,
        'Flagged only (zero-quantity policy): nothing written to ConnectWise.',
      );
      return null;
    }
    const check = checkBeforeWrite(wb.op, p, additions);
    if (!check.ok && 'stale' in check) {
      await this.finish(wb, 'stale', null, check.stale);
      return null;
    }
    if (!check.ok && 'adopt' in check) {
      await this.finish(
        wb,
        'done',
        check.adopt.id,
        'Already in ConnectWise (an earlier attempt got through); adopted, nothing written twice.',
        check.adopt,
      );
      return check.adopt;
    }
    let written: CwAddition;
    if (wb.op === 'create_addition') {
      written = await client.createAddition(p.agreementId, {
        product: { id: p.productId },
        quantity: p.quantity,
        billCustomer: 'Billable',
        effectiveDate: p.effectiveDate,
        ...(p.unitPrice != null ? { unitPrice: p.unitPrice } : {}),
        ...(p.unitCost != null ? { unitCost: p.unitCost } : {}),
        ...(p.description ? { description: p.description } : {}),
      });
    } else if (wb.op === 'cancel_addition') {
      written = await client.cancelAddition(p.agreementId, p.additionId!, p.cancelledDate!);
    } else {
      written = await client.patchAddition(p.agreementId, p.additionId!, [
        { op: 'replace', path: 'quantity', value: p.quantity },
      ]);
    }
    await this.finish(wb, 'done', written.id, null, written);
    return written;
  }

  private async finish(
    wb: WriteBack,
    status: 'done' | 'stale' | 'failed',
    additionId: number | null,
    message: string | null,
    after?: CwAddition,
  ) {
    const p = wb.payload as WriteBackPayload;
    await this.outbox.update(
      { id: wb.id },
      { status, additionId, error: status === 'done' ? null : message },
    );
    const lineStatus = status === 'done' ? 'written' : status;
    await this.lines.update(
      { id: wb.lineId, tenantId: wb.tenantId },
      {
        reviewStatus: lineStatus,
        error: status === 'done' ? null : message,
        ...(additionId ? { additionId } : {}),
      },
    );
    await this.audit.record({
      tenantId: wb.tenantId,
      actor: wb.requestedBy,
      action: status === 'done' ? 'addition_written' : status === 'stale' ? 'write_stale' : 'write_failed',
      entity: 'usage_line',
      entityId: wb.lineId,
      additionId,
      before: { quantity: p.expectedQty, additionId: p.additionId },
      after: after
        ? { quantity: after.quantity, cancelledDate: after.cancelledDate ?? null, additionId: after.id }
        : null,
      summary: `${opLabel(wb.op)} ${p.productIdentifier} on agreement ${p.agreementId}${message ? `: ${message}` : ''}`,
    });
  }

  private async failed(tenantId: number, wb: WriteBack, error: unknown) {
    const retryable = error instanceof ConnectWiseError && error.retryable;
    const message = error instanceof ConnectWiseError ? error.userMessage : (error as Error).message;
    if (retryable && wb.attempts + 1 < MAX_ATTEMPTS) {
      await this.outbox.update({ id: wb.id }, { status: 'pending', error: message });
      this.logger.warn(`Tenant ${tenantId}: write ${wb.id} will be retried: ${message}`);
      setTimeout(() => void this.kick(tenantId), 5000 * (wb.attempts + 1)).unref();
      return;
    }
    await this.finish(wb, 'failed', null, `ConnectWise refused the change: ${message}`);
  }

  /** For tests and the status tiles. */
  async pendingCount(tenantId: number): Promise<number> {
    return this.outbox.count({ where: { tenantId, status: In(['pending', 'sending']) } });
  }
}

function opLabel(op: WriteBack['op']): string {
  return {
    patch_quantity: 'Quantity change',
    create_addition: 'New addition',
    cancel_addition: 'Cancel addition',
    flag_only: 'Flag',
  }[op];
}
