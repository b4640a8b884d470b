import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateIf,
} from 'class-validator';
import { Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { MemberClaims } from '../session/session-token';
import { DEFAULT_SETTINGS, Tenant, TenantSettings } from '../tenants/tenant.entity';
import { TenantsService } from '../tenants/tenants.service';

export class SettingsDto {
  @IsOptional() @IsIn(['daily', 'weekly', 'off']) schedule?: TenantSettings['schedule'];
  @IsOptional() @IsInt() @Min(0) @Max(23) scheduleHour?: number;
  @IsOptional() @ValidateIf((_, v) => v !== null) @IsString() @MaxLength(100) agreementType?: string | null;
  @IsOptional() @IsIn(['today', 'first_of_next_month']) effectiveDate?: TenantSettings['effectiveDate'];
  @IsOptional() @IsIn(['cancel', 'zero', 'flag']) zeroQuantityPolicy?: TenantSettings['zeroQuantityPolicy'];
  @IsOptional() @IsBoolean() trialsBill?: boolean;
}

@Injectable()
export class SettingsService {
  constructor(
    private readonly tenants: TenantsService,
    private readonly audit: AuditService,
    @InjectRepository(Tenant) private readonly repo: Repository<Tenant>,
  ) {}

  async get(tenantId: number): Promise<TenantSettings> {
    return { ...DEFAULT_SETTINGS, ...(await this.tenants.get(tenantId)).settings };
  }

  async update(member: MemberClaims, dto: SettingsDto): Promise<TenantSettings> {
    const before = await this.get(member.tenantId);
    const agreementType =
      dto.agreementType === undefined ? before.agreementType : dto.agreementType?.trim() || null;
    const after: TenantSettings = { ...before, ...stripUndefined(dto), agreementType };
    await this.repo.update({ id: member.tenantId }, { settings: after });
    await this.audit.record({
      tenantId: member.tenantId,
      actor: member.memberId,
      action: 'settings_changed',
      entity: 'tenant',
      entityId: member.tenantId,
      before,
      after,
    });
    return after;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
