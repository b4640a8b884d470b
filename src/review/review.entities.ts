import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { json } from '../database';

export type WriteBackOp = 'patch_quantity' | 'create_addition' | 'cancel_addition' | 'flag_only';
export type WriteBackStatus = 'pending' | 'sending' | 'done' | 'failed' | 'stale';

/** The outbox: one row per approved change; its unique key is what makes a retry safe. */
@Entity('write_backs')
export class WriteBack {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'int' }) lineId: number;
  @Column({ type: 'varchar', length: 128 }) idempotencyKey: string;
  @Column({ type: 'varchar', length: 32 }) op: WriteBackOp;
  @Column({ type: 'text', transformer: json }) payload: Record<string, unknown>;
  @Column({ type: 'varchar', length: 16, default: 'pending' }) status: WriteBackStatus;
  @Column({ type: 'int', default: 0 }) attempts: number;
  @Column({ type: 'int', nullable: true }) additionId: number | null;
  @Column({ type: 'text', nullable: true }) error: string | null;
  @Column({ type: 'varchar', length: 100 }) requestedBy: string;
  @CreateDateColumn({ type: 'datetime' }) createdAt: Date;
  @UpdateDateColumn({ type: 'datetime' }) updatedAt: Date;
}
