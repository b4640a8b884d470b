import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { json } from '../database';

/** Who did what, when, with before and after. Append-only. */
@Entity('audit_events')
export class AuditEvent {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @CreateDateColumn({ type: 'datetime' }) at: Date;
  @Column({ type: 'varchar', length: 100 }) actor: string;
  @Column({ type: 'varchar', length: 64 }) action: string;
  @Column({ type: 'varchar', length: 64 }) entity: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) entityId: string | null;
  @Column({ type: 'text', transformer: json, nullable: true }) before: unknown;
  @Column({ type: 'text', transformer: json, nullable: true }) after: unknown;
  @Column({ type: 'int', nullable: true }) additionId: number | null;
  @Column({ type: 'text', nullable: true }) summary: string | null;
}
