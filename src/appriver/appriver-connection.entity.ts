import { Column, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { encrypted } from '../database';

export type ConnectionStatus =
  'not_connected' | 'authorizing' | 'importing' | 'ready' | 'active' | 'reauth_required' | 'error';

/** Per tenant: the AppRiver API credentials and tokens (all encrypted) and where the connection stands. */
@Entity('appriver_connections')
export class AppRiverConnection {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'text', transformer: encrypted, nullable: true }) clientId: string | null;
  @Column({ type: 'text', transformer: encrypted, nullable: true }) clientSecret: string | null;
  @Column({ type: 'text', transformer: encrypted, nullable: true }) accessToken: string | null;
  @Column({ type: 'datetime', nullable: true }) accessTokenExpiresAt: Date | null;
  @Column({ type: 'text', transformer: encrypted, nullable: true }) refreshToken: string | null;
  @Column({ type: 'datetime', nullable: true }) refreshedAt: Date | null;
  @Column({ type: 'varchar', length: 32, default: 'not_connected' }) status: ConnectionStatus;
  @Column({ type: 'text', nullable: true }) message: string | null;
  @Column({ type: 'datetime', nullable: true }) lastImportAt: Date | null;
  @Column({ type: 'int', default: 0 }) version: number;
  @UpdateDateColumn({ type: 'datetime' }) updatedAt: Date;
}

/** One-time OAuth `state`, bound to the tenant and member that asked for it. */
@Entity('oauth_states')
export class OAuthState {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: 'int' }) tenantId: number;
  @Column({ type: 'varchar', length: 100 }) memberId: string;
  @Column({ type: 'varchar', length: 64 }) state: string;
  /** The one-time ticket the popup opens with, so the bearer token never travels in a URL. */
  @Column({ type: 'varchar', length: 64 }) ticket: string;
  @Column({ type: 'datetime' }) expiresAt: Date;
  @Column({ type: 'datetime', nullable: true }) ticketUsedAt: Date | null;
  @Column({ type: 'datetime', nullable: true }) usedAt: Date | null;
}
