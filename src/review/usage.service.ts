import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  IsArray,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
} from 'class-validator';
import { DataSource, In, QueryFailedError, Repository } from 'typeorm';
import { VendorAccount, VendorService } from '../appriver/vendor.entities';
import { AuditService } from '../audit/audit.service';
import { notFound } from '../common/errors';
import { yieldToEventLoop } from '../common/collections';
import type { MemberClaims } from '../session/session-token';
import { SyncRun, UnmappedItem, UsageLine } from '../sync/sync.entities';
import { SyncService } from '../sync/sync.service';
import { TenantsService } from '../tenants/tenants.service';
import { WriteBack } from './review.entities';
import { planWriteBack } from './write-back.plan';
import { WriteBackService } from './write-back.service';

export class ApproveDto {
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(20000) @IsInt({ each: true }) lineIds: number[];
  /** Quantities adjusted before approving, by line id. */
  @IsOptional() @IsObject() quantities?: Record<string, number>;
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class DismissDto {
  @IsArray() @ArrayNotEmpty() @ArrayMaxSize(20000) @IsInt({ each: true }) lineIds: number[];
  @IsOptional() @IsString() @MaxLength(2000) note?: string;
}

export class NoteDto {
  @IsString() @MaxLength(2000) note: string;
}

export interface UsageQuery {
  kind?: string;
  status?: string;
  company?: string;
  service?: string;
  sort?: string;
  page?: string | number;
  pageSize?: string | number;
}

const SORTS: Record<string, [string, 'ASC' | 'DESC']> = {
  difference: ['ABS(COALESCE(l.difference, 0))', 'DESC'],
  revenue: ['ABS(l.revenue_change)', 'DESC'],
  company: ['l.company_name', 'ASC'],
  service: ['l.product_identifier', 'ASC'],
};
const ACTIONABLE = ['increase', 'decrease', 'new', 'cancel'];

export type LineResult = {
  lineId: number;
  result: 'approved' | 'already' | 'refused' | 'dismissed';
  message?: string;
};

@Injectable()
export class UsageService {
  constructor(
    private readonly sync: SyncService,
    private readonly tenants: TenantsService,
    private readonly writer: WriteBackService,
    private readonly audit: AuditService,
    private readonly dataSource: DataSource,
    @InjectRepository(UsageLine) private readonly lines: Repository<UsageLine>,
    @InjectRepository(UnmappedItem) private readonly unmapped: Repository<UnmappedItem>,
    @InjectRepository(VendorAccount) private readonly accounts: Repository<VendorAccount>,
    @InjectRepository(VendorService) private readonly services: Repository<VendorService>,
  ) {}

  /** Lines of the newest completed run, filtered, sorted and paged on the server. */
  async list(tenantId: number, q: UsageQuery) {
    const run = await this.sync.latestCompletedRun(tenantId);
    const page = Math.max(1, Number(q.page) || 1);
    const pageSize = Math.min(500, Math.max(10, Number(q.pageSize) || 50));
    if (!run) return { run: null, items: [] as UsageLine[], total: 0, page, pageSize, summary: null };
    const qb = this.lines
      .createQueryBuilder('l')
      .where('l.tenant_id = :tenantId AND l.run_id = :runId', { tenantId, runId: run.id });
    const summary = await this.summary(tenantId, run);
    if (q.kind) qb.andWhere('l.kind = :kind', { kind: q.kind });
    else qb.andWhere('l.kind != :inSync', { inSync: 'in_sync' }); // in-sync lines only on request: they need no work
    if (q.status) qb.andWhere('l.review_status = :status', { status: q.status });
    if (q.company) {
      if (/^\d+$/.test(q.company)) qb.andWhere('l.company_id = :companyId', { companyId: Number(q.company) });
      else qb.andWhere('LOWER(l.company_name) LIKE :company', { company: `%${q.company.toLowerCase()}%` });
    }
    if (q.service)
      qb.andWhere('(LOWER(l.product_identifier) LIKE :service OR LOWER(l.service_label) LIKE :service)', {
        service: `%${q.service.toLowerCase()}%`,
      });
    const [by, dir] = SORTS[(q.sort ?? '').replace(/^-/, '')] ?? SORTS.company;
    const total = await qb.clone().getCount();
    const items = await qb
      .orderBy(by, q.sort?.startsWith('-') ? (dir === 'ASC' ? 'DESC' : 'ASC') : dir)
      .addOrderBy('l.company_name', 'ASC')
      .addOrderBy('l.product_identifier', 'ASC')
      .addOrderBy('l.id', 'ASC')
      .offset((page - 1) * pageSize)
      .limit(pageSize)
      .getMany();
    return { run: { id: run.id, finishedAt: run.finishedAt }, items, total, page, pageSize, summary };
  }

  private async summary(tenantId: number, run: SyncRun) {
    const rows = await this.lines
      .createQueryBuilder('l')
      .select('l.kind', 'kind')
      .addSelect('l.review_status', 'status')
      .addSelect('COUNT(*)', 'n')
      .addSelect('SUM(l.revenue_change)', 'revenue')
      .where('l.tenant_id = :tenantId AND l.run_id = :runId', { tenantId, runId: run.id })
      .groupBy('l.kind')
      .addGroupBy('l.review_status')
      .getRawMany<{ kind: string; status: string; n: string; revenue: string | null }>();
    const kinds: Record<string, number> = {
      in_sync: 0,
      increase: 0,
      decrease: 0,
      new: 0,
      cancel: 0,
      needs_attention: 0,
    };
    let toReview = 0;
    let revenue = 0;
    let written = 0;
    for (const r of rows) {
      kinds[r.kind] = (kinds[r.kind] ?? 0) + Number(r.n);
      if (r.kind !== 'in_sync' && (r.status === 'pending' || r.status === 'failed' || r.status === 'stale')) {
        toReview += Number(r.n);
        if (ACTIONABLE.includes(r.kind)) revenue += Number(r.revenue ?? 0);
      }
      if (r.status === 'written') written += Number(r.n);
    }
    const unmapped = await this.unmapped.count({ where: { tenantId, runId: run.id } });
    return { kinds, toReview, revenueChange: Math.round(revenue * 100) / 100, unmapped, written };
  }

  async unmappedQueue(tenantId: number) {
    const run = await this.sync.latestCompletedRun(tenantId);
    if (!run) return { items: [] };
    const items = await this.unmapped.find({
      where: { tenantId, runId: run.id },
      order: { kind: 'ASC', accountId: 'ASC' },
    });
    const accounts = new Map(
      (
        await this.accounts.find({
          where: { tenantId, id: In([...new Set(items.map((i) => i.accountId)), 0]) },
        })
      ).map((a) => [a.id, a.name]),
    );
    const services = new Map(
      (await this.services.find({ where: { tenantId } })).map((s) => [s.id, s.serviceKey]),
    );
    return {
      items: items.map((i) => ({
        kind: i.kind,
        accountId: i.accountId,
        account: accounts.get(i.accountId) ?? '',
        serviceId: i.serviceId,
        service: i.serviceId ? (services.get(i.serviceId) ?? '') : null,
        quantity: i.quantity,
      })),
    };
  }

  /**
   * Each approval becomes one outbox record with a unique key: approving twice, from two sessions or after a
   * crash, can never queue a change twice. The worker then writes them to ConnectWise.
   */
  async approve(member: MemberClaims, dto: ApproveDto): Promise<{ results: LineResult[] }> {
    const tenant = await this.tenants.get(member.tenantId);
    const run = await this.sync.latestCompletedRun(member.tenantId);
    const lines = await this.lines.find({ where: { tenantId: member.tenantId, id: In(dto.lineIds) } });
    const byId = new Map(lines.map((l) => [l.id, l]));
    const results: LineResult[] = [];
    for (const [i, lineId] of dto.lineIds.entries()) {
      if (i > 0 && i % 50 === 0) await yieldToEventLoop();
      const line = byId.get(lineId);
      if (!line) {
        results.push({ lineId, result: 'refused', message: 'No such line.' });
        continue;
      }
      if (line.runId !== run?.id) {
        results.push({
          lineId,
          result: 'refused',
          message: 'A newer sync replaced this line; refresh the list.',
        });
        continue;
      }
      const raw = dto.quantities?.[String(lineId)];
      if (raw !== undefined && (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0)) {
        results.push({
          lineId,
          result: 'refused',
          message: 'The adjusted quantity must be a number, 0 or more.',
        });
        continue;
      }
      results.push(await this.approveLine(member, line, raw, dto.note, tenant.settings));
    }
    if (results.some((r) => r.result === 'approved')) void this.writer.kick(member.tenantId);
    return { results };
  }

  private async approveLine(
    member: MemberClaims,
    line: UsageLine,
    quantity: number | undefined,
    note: string | undefined,
    settings: Parameters<typeof planWriteBack>[2],
  ): Promise<LineResult> {
    if (['approved', 'written'].includes(line.reviewStatus))
      return { lineId: line.id, result: 'already', message: 'Already approved.' };
    if (line.kind === 'in_sync' && quantity === undefined)
      return { lineId: line.id, result: 'refused', message: 'Already in sync; nothing to write.' };
    const plan = planWriteBack(line, quantity, settings);
    if ('refused' in plan) return { lineId: line.id, result: 'refused', message: plan.refused };
    const key = `line:${line.id}`;
    try {
      await this.dataSource.transaction(async (m) => {
        const outbox = m.getRepository(WriteBack);
        const existing = await outbox.findOne({ where: { tenantId: member.tenantId, idempotencyKey: key } });
        if (existing && !['failed', 'stale'].includes(existing.status)) throw new AlreadyQueued();
        if (existing) {
          // A failed or stale write approved again: the same record is retried, never a second one.
          await outbox.update(
            { id: existing.id },
            {
              status: 'pending',
              op: plan.op,
              payload: plan.payload as never,
              error: null,
              requestedBy: member.memberId,
            },
          );
        } else {
          await outbox.insert({
            tenantId: member.tenantId,
            lineId: line.id,
            idempotencyKey: key,
            op: plan.op,
            payload: plan.payload as never,
            status: 'pending',
            attempts: 0,
            requestedBy: member.memberId,
          });
        }
        const updated = await m.getRepository(UsageLine).update(
          {
            id: line.id,
            tenantId: member.tenantId,
            reviewStatus: In(['pending', 'failed', 'stale', 'dismissed']),
          },
          {
            reviewStatus: 'approved',
            approvedQty: plan.payload.quantity,
            note: note ?? line.note,
            reviewedBy: member.memberId,
            reviewedAt: new Date(),
            error: null,
          },
        );
        if (!updated.affected) throw new AlreadyQueued();
        await this.audit.record(
          {
            tenantId: member.tenantId,
            actor: member.memberId,
            action: 'usage_approved',
            entity: 'usage_line',
            entityId: line.id,
            additionId: line.additionId,
            before: { psaQty: line.psaQty, reviewStatus: line.reviewStatus },
            after: { quantity: plan.payload.quantity, op: plan.op, note: note ?? null },
            summary: `${line.companyName}: ${line.productIdentifier} ${line.psaQty ?? '—'} → ${plan.payload.quantity}`,
          },
          m,
        );
      });
    } catch (error) {
      if (error instanceof AlreadyQueued || isUniqueViolation(error))
        return { lineId: line.id, result: 'already', message: 'Already approved.' };
      throw error;
    }
    return { lineId: line.id, result: 'approved' };
  }

  async dismiss(member: MemberClaims, dto: DismissDto): Promise<{ results: LineResult[] }> {
    const lines = await this.lines.find({ where: { tenantId: member.tenantId, id: In(dto.lineIds) } });
    const results: LineResult[] = [];
    for (const line of lines) {
      if (!['pending', 'failed', 'stale'].includes(line.reviewStatus)) {
        results.push({
          lineId: line.id,
          result: 'refused',
          message: `Cannot dismiss a line that is ${line.reviewStatus}.`,
        });
        continue;
      }
      await this.lines.update(
        { id: line.id, tenantId: member.tenantId },
        {
          reviewStatus: 'dismissed',
          reviewedBy: member.memberId,
          reviewedAt: new Date(),
          note: dto.note ?? line.note,
        },
      );
      await this.audit.record({
        tenantId: member.tenantId,
        actor: member.memberId,
        action: 'usage_dismissed',
        entity: 'usage_line',
        entityId: line.id,
        before: { reviewStatus: line.reviewStatus },
        after: { reviewStatus: 'dismissed', note: dto.note ?? null },
        summary: `${line.companyName}: ${line.productIdentifier} dismissed for this period`,
      });
      results.push({ lineId: line.id, result: 'dismissed' });
    }
    return { results };
  }

  async setNote(member: MemberClaims, lineId: number, note: string) {
    const line = await this.lines.findOne({ where: { tenantId: member.tenantId, id: lineId } });
    if (!line) throw notFound('The usage line');
    await this.lines.update({ id: line.id, tenantId: member.tenantId }, { note });
    await this.audit.record({
      tenantId: member.tenantId,
      actor: member.memberId,
      action: 'usage_note',
      entity: 'usage_line',
      entityId: line.id,
      before: { note: line.note },
      after: { note },
      summary: `${line.companyName}: ${line.productIdentifier}: note "${note.slice(0, 80)}"`,
    });
    return { lineId, note };
  }

  async csv(tenantId: number, q: UsageQuery): Promise<string> {
    const all: UsageLine[] = [];
    for (let page = 1; ; page++) {
      const { items } = await this.list(tenantId, { ...q, page, pageSize: 500 });
      all.push(...items);
      if (items.length < 500) break;
    }
    const header = [
      'Company',
      'AppRiver account',
      'Product ID',
      'AppRiver services',
      'AppRiver qty',
      'ConnectWise qty',
      'Difference',
      'Kind',
      'Reason',
      'Unit price',
      'Revenue change / month',
      'Review status',
      'Approved qty',
      'Note',
      'Addition id',
    ];
    const rows = all.map((l) => [
      l.companyName,
      l.accountName,
      l.productIdentifier,
      l.serviceLabel,
      l.vendorQty,
      l.psaQty,
      l.difference,
      l.kind,
      l.reasonText,
      l.unitPrice,
      l.revenueChange,
      l.reviewStatus,
      l.approvedQty,
      l.note,
      l.additionId,
    ]);
    return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
  }
}

class AlreadyQueued extends Error {}

function isUniqueViolation(error: unknown): boolean {
  const text =
    error instanceof QueryFailedError ? `${error.message} ${(error as { code?: string }).code ?? ''}` : '';
  return /UNIQUE|ER_DUP_ENTRY|Duplicate entry/i.test(text);
}

/** Quotes cells and defuses spreadsheet formulas (=, +, -, @ at the start of text). */
export function csvCell(value: unknown): string {
  if (value == null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
