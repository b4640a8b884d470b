import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type AccountMatchMethod = 'external_number' | 'exact_name' | 'suggestion' | 'manual';

/** Vendor account → PSA company and the agreement its additions go to. */
@Entity('account_mappings')
export class AccountMapping {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'int' }) accountId: number;
  @Column({ type: 'int', nullable: true }) psaCompanyId: number | null;
  @Column({ type: 'varchar', length: 100, nullable: true }) psaCompanyIdentifier: string | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) psaCompanyName: string | null;
  @Column({ type: 'int', nullable: true }) agreementId: number | null;
  @Column({ type: 'varchar', length: 255, nullable: true }) agreementName: string | null;
  /** Why there is no agreement: none active (flag the row) or several (the user picks). */
  @Column({ type: 'varchar', length: 16, nullable: true }) agreementProblem: 'none_active' | 'choose' | null;
  @Column({ type: 'varchar', length: 32, nullable: true }) method: AccountMatchMethod | null;
  @Column({ type: 'boolean', default: false }) excluded: boolean;
  @Column({ type: 'varchar', length: 100 }) mappedBy: string;
  @Column({ type: 'datetime' }) mappedAt: Date;
}

/** Vendor service → PSA catalog item (its identifier is the "Product ID"). */
@Entity('service_mappings')
export class ServiceMapping {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'int' }) serviceId: number;
  @Column({ type: 'int' }) psaProductId: number;
  @Column({ type: 'varchar', length: 100 }) psaProductIdentifier: string;
  @Column({ type: 'varchar', length: 255, nullable: true }) psaProductDescription: string | null;
  @Column({ type: 'varchar', length: 100 }) mappedBy: string;
  @Column({ type: 'datetime' }) mappedAt: Date;
}

/** A ranked candidate a person can confirm with one click; nothing fuzzy is applied without them. */
@Entity('suggestions')
export class Suggestion {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'varchar', length: 16 }) kind: 'account' | 'service';
  @Column({ type: 'int' }) subjectId: number;
  @Column({ type: 'int' }) targetId: number;
  @Column({ type: 'varchar', length: 100 }) targetCode: string;
  @Column({ type: 'varchar', length: 255 }) targetLabel: string;
  @Column({ type: 'int' }) score: number;
  @Column({ type: 'varchar', length: 255 }) reason: string;
  @Column({ type: 'int' }) rank: number;
}
