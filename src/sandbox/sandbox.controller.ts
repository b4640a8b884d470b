import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Render } from '@nestjs/common';
import { badRequest } from '../common/errors';
import { SandboxFaults, SandboxStats } from './faults';
import { SandboxHost } from './sandbox-host';
import { WORLD } from './sandbox.tokens';
import { World } from './world';

@Controller('sandbox')
export class SandboxController {
  constructor(
    @Inject(WORLD) private readonly world: World,
    private readonly host: SandboxHost,
    private readonly faults: SandboxFaults,
    private readonly stats: SandboxStats,
  ) {}

  /** The landing page: what the sandbox world holds and where to start. */
  @Get()
  @Render('sandbox/index')
  landing() {
    const { connectwise: cw, appriver: ar } = this.world;
    const key = cw.apiKeys[0];
    return {
      title: 'Sandbox',
      layout: 'layouts/standalone',
      world: this.world.name,
      origin: this.host.url,
      cw: {
        site: cw.site,
        companyId: cw.companyId,
        publicKey: key?.publicKey,
        privateKey: key?.privateKey,
        members: cw.members,
        counts: {
          companies: cw.companies.length,
          catalog: cw.catalog.length,
          agreements: cw.agreements.length,
          additions: cw.agreements.reduce((n, a) => n + a.additions.length, 0),
        },
      },
      ar: {
        client: ar.clients[0],
        users: ar.users,
        customers: ar.customers.length,
        subscriptions: ar.customers.reduce((n, c) => n + c.subscriptions.length, 0),
      },
    };
  }

  @Get('faults')
  getFaults() {
    return this.faults.current;
  }

  /** Partial update, e.g. {"connectwise":{"rateLimitEvery":5},"latencyMs":20}. */
  @Post('faults')
  @HttpCode(200)
  setFaults(@Body() body: Record<string, unknown>) {
    try {
      return this.faults.update(body ?? {});
    } catch (error) {
      throw badRequest('BAD_FAULTS', (error as Error).message);
    }
  }

  @Delete('faults')
  resetFaults() {
    this.faults.reset(this.world);
    return this.faults.current;
  }

  @Get('stats')
  getStats() {
    return this.stats.snapshot();
  }

  @Delete('stats')
  resetStats() {
    this.stats.reset();
    return this.stats.snapshot();
  }
}
