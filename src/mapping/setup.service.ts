import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { ConnectionRepository } from '../appriver/connection.repository';
import { AuditService } from '../audit/audit.service';
import { badRequest } from '../common/errors';
import type { MemberClaims } from '../session/session-token';
import { SyncService } from '../sync/sync.service';
import { Tenant } from '../tenants/tenant.entity';
import { MappingService } from './mapping.service';

@Injectable()
export class SetupService {
  constructor(
    private readonly mapping: MappingService,
    private readonly sync: SyncService,
    private readonly connections: ConnectionRepository,
    private readonly audit: AuditService,
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
  ) {}

  /** Refused until one account and one service are mapped; then setup is complete and the first sync starts. */
  async finish(member: MemberClaims) {
    const review = await this.mapping.review(member.tenantId);
    if (!review.canFinish)
      throw badRequest('SETUP_INCOMPLETE', review.blockers.join(' '), { blockers: review.blockers });
    await this.tenants.update({ id: member.tenantId }, { setupComplete: true });
    await this.connections.repo.update({ tenantId: member.tenantId, status: 'ready' }, { status: 'active' });
    await this.audit.record({
      tenantId: member.tenantId,
      actor: member.memberId,
      action: 'setup_finished',
      entity: 'tenant',
      entityId: member.tenantId,
      after: {
        accounts: review.accounts.length,
        services: review.services.length,
        warnings: review.warnings,
      },
      summary: `Setup finished with ${review.accounts.length} account(s) and ${review.services.length} service(s) mapped`,
    });
    const run = await this.sync.start(member.tenantId, 'finish', member.memberId);
    return { runId: run.id, warnings: review.warnings };
  }
}
