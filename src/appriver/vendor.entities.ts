import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';
import { numeric } from '../database';

/** An AppRiver customer, keyed by its CustomerId so a rename keeps its mapping. */
@Entity('vendor_accounts')
export class VendorAccount {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'varchar', length: 64 }) customerId: string;
  @Column({ type: 'varchar', length: 64, nullable: true }) customerNumber: string | null;
  @Column({ type: 'varchar', length: 255 }) name: string;
  @Column({ type: 'varchar', length: 32, nullable: true }) customerType: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) externalNumber: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) website: string | null;
  /** False for Partner and Referred customers: the partner API does not bill them. */
  @Column({ type: 'boolean', default: true }) billable: boolean;
  @Column({ type: 'text', nullable: true }) problem: string | null;
  @Column({ type: 'datetime' }) lastSeenAt: Date;
  @Column({ type: 'datetime', nullable: true }) goneAt: Date | null;
}

/** An AppRiver product as billed: `ProductName|SubscriptionTerm|BillingFrequency`. */
@Entity('vendor_services')
export class VendorService {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'varchar', length: 400 }) serviceKey: string;
  @Column({ type: 'varchar', length: 255 }) productName: string;
  @Column({ type: 'varchar', length: 32 }) term: string;
  @Column({ type: 'varchar', length: 32 }) frequency: string;
  @Column({ type: 'datetime' }) lastSeenAt: Date;
  @Column({ type: 'datetime', nullable: true }) goneAt: Date | null;
}

@Entity('vendor_subscriptions')
export class VendorSubscription {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'int' }) accountId: number;
  @Column({ type: 'int' }) serviceId: number;
  @Column({ type: 'varchar', length: 400 }) subscriptionKey: string;
  @Column({ type: 'varchar', length: 64 }) status: string;
  @Column({ type: 'boolean', default: false }) isTrial: boolean;
  /** SubscriptionQuantity: the billable count. Null when AppRiver did not send it (null is not zero). */
  @Column({ type: 'double', nullable: true, transformer: numeric }) quantity: number | null;
  @Column({ type: 'double', nullable: true, transformer: numeric }) totalLicenses: number | null;
  @Column({ type: 'double', nullable: true, transformer: numeric }) assignedLicenses: number | null;
  @Column({ type: 'datetime' }) lastSeenAt: Date;
  @Column({ type: 'datetime', nullable: true }) goneAt: Date | null;
}
