import { Controller, Get, Inject, Render } from '@nestjs/common';
import { World } from './world';
import { WORLD } from './sandbox.tokens';
import { SandboxHost } from './sandbox-host';

@Controller('sandbox')
export class SandboxController {
  constructor(
    @Inject(WORLD) private readonly world: World,
    private readonly host: SandboxHost,
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
}
