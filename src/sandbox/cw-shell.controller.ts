import { Controller, Get, Header, Inject, Query, Render } from '@nestjs/common';
import { SandboxHost } from './sandbox-host';
import { WORLD } from './sandbox.tokens';
import { World } from './world';

/**
 * The simulated ConnectWise PSA window: a member picker, a left navigation with the custom menu entries and the
 * companies, and a company screen with the pods. public/js/sandbox-cw.js frames our hosted pages and plays the
 * parent side of the postMessage protocol. Member hashes are sandbox data, so rendering them here is fine.
 */
@Controller('sandbox/cw')
export class CwShellController {
  constructor(
    @Inject(WORLD) private readonly world: World,
    private readonly host: SandboxHost,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  @Render('sandbox/cw')
  shell(@Query('member') memberParam?: unknown) {
    const cw = this.world.connectwise;
    const requested = typeof memberParam === 'string' ? memberParam.trim() : '';
    const member = requested
      ? (cw.members.find((m) => m.identifier.toLowerCase() === requested.toLowerCase()) ?? null)
      : null;
    const client = {
      site: cw.site,
      companyId: cw.companyId,
      codebase: cw.codebase,
      sandboxOrigin: this.host.url,
      member,
      companies: cw.companies
        .filter((c) => !c.deletedFlag)
        .map(({ id, identifier, name, status }) => ({ id, identifier, name, status })),
    };
    return {
      layout: false,
      title: member ? `ConnectWise PSA · ${member.identifier}` : 'ConnectWise PSA · Sign in',
      member,
      unknownMember: requested && !member ? requested : null,
      layoutClass: member ? '' : 'cw-layout--signin',
      members: cw.members.map((m) => ({
        identifier: m.identifier,
        email: m.email,
        agreementsEdit: m.agreementsEdit,
      })),
      site: cw.site,
      companyId: cw.companyId,
      client,
    };
  }
}
