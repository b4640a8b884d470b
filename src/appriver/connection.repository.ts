import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppRiverConnection, ConnectionStatus } from './appriver-connection.entity';

/** Tenant-scoped access to the one AppRiver connection row of each tenant. */
@Injectable()
export class ConnectionRepository {
  constructor(@InjectRepository(AppRiverConnection) readonly repo: Repository<AppRiverConnection>) {}

  async get(tenantId: number): Promise<AppRiverConnection> {
    const found = await this.repo.findOne({ where: { tenantId } });
    if (found) return found;
    await this.repo.insert({ tenantId, status: 'not_connected', version: 0 }).catch(() => undefined); // a racing insert is fine
    return (await this.repo.findOne({ where: { tenantId } }))!;
  }

  async setStatus(tenantId: number, status: ConnectionStatus, message: string | null): Promise<void> {
    await this.repo.update({ tenantId }, { status, message });
  }
}
