import { Global, Injectable, Module } from '@nestjs/common';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  tenantId: number;
  actor: string;
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
  additionId?: number | null;
  summary?: string;
}

export interface AuditQuery {
  action?: string;
  entity?: string;
  actor?: string;
  page?: number;
  pageSize?: number;
}

/** The append-only trail: every mapping change, connection event, approval and write. */
@Injectable()
export class AuditService {
  constructor(@InjectRepository(AuditEvent) private readonly events: Repository<AuditEvent>) {}

  /** Pass the transaction's manager so the event commits (or not) with the change it describes. */
  async record(entry: AuditEntry, manager?: EntityManager): Promise<void> {
    await this.recordMany([entry], manager);
  }

  /** One INSERT for all of them (an append-only row has nothing to read back). */
  async recordMany(entries: AuditEntry[], manager?: EntityManager): Promise<void> {
    if (!entries.length) return;
    const repo = manager ? manager.getRepository(AuditEvent) : this.events;
    await repo
      .createQueryBuilder()
      .insert()
      .values(
        entries.map((entry) =>
          Object.assign(new AuditEvent(), {
            tenantId: entry.tenantId,
            actor: entry.actor,
            action: entry.action,
            entity: entry.entity,
            entityId: entry.entityId == null ? null : String(entry.entityId),
            before: entry.before ?? null,
            after: entry.after ?? null,
            additionId: entry.additionId ?? null,
            summary: entry.summary ?? null,
          }),
        ) as QueryDeepPartialEntity<AuditEvent>[],
      )
      .updateEntity(false) // nothing reads the generated id or time back
      .execute();
  }

  async list(
    tenantId: number,
    q: AuditQuery = {},
  ): Promise<{ items: AuditEvent[]; total: number; page: number; pageSize: number }> {
    const page = Math.max(1, q.page ?? 1);
    const pageSize = Math.min(200, Math.max(1, q.pageSize ?? 50));
    const where: Record<string, unknown> = { tenantId };
    if (q.action) where.action = q.action;
    if (q.entity) where.entity = q.entity;
    if (q.actor) where.actor = q.actor;
    const [items, total] = await this.events.findAndCount({
      where,
      order: { id: 'DESC' },
      skip: (page - 1) * pageSize,
      take: pageSize,
    });
    return { items, total, page, pageSize };
  }
}

@Global()
@Module({
  imports: [TypeOrmModule.forFeature([AuditEvent])],
  providers: [AuditService],
  exports: [AuditService],
})
export class AuditModule {}
