import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { IsNull, LessThan, Not } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { ConnectionRepository } from './connection.repository';
import { TokensService } from './tokens.service';

const HOUR = 60 * 60 * 1000;
/** Refresh tokens die after 14 days unused; refreshing any connection idle for 3 days keeps a wide margin. */
export const KEEP_ALIVE_AFTER_MS = 3 * 24 * HOUR;

@Injectable()
export class KeepAliveService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('AppRiverKeepAlive');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly connections: ConnectionRepository,
    private readonly tokens: TokensService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.timer = setInterval(() => void this.tick(), HOUR);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Refreshes every connection whose refresh token has been idle too long; returns how many were refreshed. */
  async tick(now = Date.now()): Promise<number> {
    const idle = await this.connections.repo.find({
      where: { refreshToken: Not(IsNull()), refreshedAt: LessThan(new Date(now - KEEP_ALIVE_AFTER_MS)) },
    });
    let refreshed = 0;
    for (const c of idle) {
      if (c.status === 'reauth_required') continue;
      await this.tokens.refresh(c.tenantId).then(
        () => refreshed++,
        (error) =>
          this.logger.warn(`Keep-alive refresh for tenant ${c.tenantId} failed: ${(error as Error).message}`),
      );
    }
    return refreshed;
  }
}
