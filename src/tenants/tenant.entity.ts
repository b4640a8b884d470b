import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { encrypted, json } from '../database';

export interface TenantSettings {
  /** Sync schedule: daily at `hour` (tenant's UTC hour), weekly on Monday at `hour`, or off. */
  schedule: 'daily' | 'weekly' | 'off';
  scheduleHour: number;
  /** Only agreements of this type are chosen automatically (null = any type). */
  agreementType: string | null;
  effectiveDate: 'today' | 'first_of_next_month';
  zeroQuantityPolicy: 'cancel' | 'zero' | 'flag';
  trialsBill: boolean;
}

export const DEFAULT_SETTINGS: TenantSettings = {
  schedule: 'daily',
  scheduleHour: 6,
  agreementType: null,
  effectiveDate: 'first_of_next_month',
  zeroQuantityPolicy: 'cancel',
  trialsBill: true,
};

export interface HostedEntryRef {
  kind: 'menu' | 'pod';
  key: string;
  id: number;
}

/** One MSP's ConnectWise company: where its API lives and the API member keys we use there. */
@Entity('tenants')
export class Tenant {
  @PrimaryGeneratedColumn() id: number;
  /** The login company id, stored lower-case: ConnectWise treats it case-insensitively at sign-in. */
  @Column({ type: 'varchar', length: 100 }) companyId: string;
  @Column({ type: 'varchar', length: 255 }) site: string;
  @Column({ type: 'varchar', length: 255 }) apiHost: string;
  @Column({ type: 'varchar', length: 100 }) codebase: string;
  @Column({ type: 'text', transformer: encrypted, nullable: true }) publicKey: string | null;
  @Column({ type: 'text', transformer: encrypted, nullable: true }) privateKey: string | null;
  @Column({ type: 'text', transformer: json }) settings: TenantSettings;
  @Column({ type: 'text', transformer: json }) hostedEntries: HostedEntryRef[];
  @Column({ type: 'boolean', default: false }) setupComplete: boolean;
  @Column({ type: 'datetime', nullable: true }) uninstalledAt: Date | null;
  @CreateDateColumn({ type: 'datetime' }) createdAt: Date;
  @UpdateDateColumn({ type: 'datetime' }) updatedAt: Date;
}
