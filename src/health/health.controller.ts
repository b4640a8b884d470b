import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';

@Controller()
export class HealthController {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('health')
  async health(@Res() res: Response) {
    const base = { database: this.config.database.type, mode: this.config.sandbox ? 'sandbox' : 'live' };
    try {
      await this.dataSource.query('SELECT 1');
      res.json({ status: 'ok', ...base });
    } catch (error) {
      res
        .status(503)
        .json({ status: 'unavailable', ...base, reason: `database: ${(error as Error).message}` });
    }
  }
}
