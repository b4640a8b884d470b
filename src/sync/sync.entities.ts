import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { json, numeric } from '../database';

export type SyncRunStatus = 'queued' | 'running' | 'succeeded' | 'failed';

@Entity('sync_runs')
export class SyncRun {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'varchar', length: 16 }) status: SyncRunStatus;
  @Column({ type: 'varchar', length: 16 }) trigger: 'finish' | 'manual' | 'schedule';
  @Column({ type: 'varchar', length: 100, nullable: true }) requestedBy: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) step: string | null;
  @Column({ type: 'int', default: 0 }) progressDone: number;
  @Column({ type: 'int', default: 0 }) progressTotal: number;
  @Column({ type: 'text', transformer: json, nullable: true }) counts: Record<string, number> | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ type: 'datetime', nullable: true }) startedAt: Date | null;
  @Column({ type: 'datetime', nullable: true }) finishedAt: Date | null;
  @CreateDateColumn({ type: 'datetime' }) createdAt: Date;
}

export type ReviewStatus = 'pending' | 'approved' | 'written' | 'failed' | 'stale' | 'dismissed';

/** One (account, product) result of a run, and where its review stands. */
@Entity('usage_lines')
export class UsageLine {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'int' }) runId: number;
  @Column({ type: 'int' }) accountId: number;
  @Column({ type: 'varchar', length: 255 }) accountName: string;
  @Column({ type: 'int' }) companyId: number;
  @Column({ type: 'varchar', length: 255 }) companyName: string;
  @Column({ type: 'int', nullable: true }) agreementId: number | null;
  @Column({ type: 'int' }) productId: number;
  @Column({ type: 'varchar', length: 100 }) productIdentifier: string;
  @Column({ type: 'varchar', length: 500 }) serviceLabel: string;
  @Column({ type: 'double', nullable: true, transformer: numeric }) vendorQty: number | null;
  @Column({ type: 'double', nullable: true, transformer: numeric }) psaQty: number | null;
  @Column({ type: 'varchar', length: 32 }) kind: string;
  @Column({ type: 'varchar', length: 32, nullable: true }) reason: string | null;
  @Column({ type: 'text', nullable: true }) reasonText: string | null;
  @Column({ type: 'int', nullable: true }) additionId: number | null;
  @Column({ type: 'double', nullable: true, transformer: numeric }) unitPrice: number | null;
  @Column({ type: 'double', nullable: true, transformer: numeric }) unitCost: number | null;
  @Column({ type: 'double', default: 0, transformer: numeric }) revenueChange: number;
  @Column({ type: 'double', nullable: true, transformer: numeric }) difference: number | null;
  @Column({ type: 'varchar', length: 16, default: 'pending' }) reviewStatus: ReviewStatus;
  @Column({ type: 'double', nullable: true, transformer: numeric }) approvedQty: number | null;
  @Column({ type: 'text', nullable: true }) note: string | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) reviewedBy: string | null;
  @Column({ type: 'datetime', nullable: true }) reviewedAt: Date | null;
}

/** Vendor usage no mapping covers yet: kept so nothing is silently dropped. */
@Entity('unmapped_items')
export class UnmappedItem {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'int' }) runId: number;
  @Column({ type: 'varchar', length: 16 }) kind: 'account' | 'service';
  @Column({ type: 'int' }) accountId: number;
  @Column({ type: 'int', nullable: true }) serviceId: number | null;
  @Column({ type: 'double', transformer: numeric }) quantity: number;
}
