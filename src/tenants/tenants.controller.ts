import { Body, Controller, Get, HttpCode, Post, Render, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { Member, requireEdit, SessionGuard } from '../session/session.guard';
import type { MemberClaims } from '../session/session-token';
import { manifest } from './manifest';
import { InstallDto, TenantsService } from './tenants.service';

@Controller()
export class TenantsController {
  constructor(private readonly tenants: TenantsService) {}

  @Get('manifest.json')
  manifest(@Res() res: Response) {
    res.json(manifest());
  }

  /** Standalone (never framed): an admin installs from a normal browser tab. */
  @Get('install')
  @Render('install')
  installPage() {
    const m = manifest();
    return { title: 'Install', layout: 'layouts/standalone', permissions: m.permissions, name: m.name };
  }

  @Post('api/install')
  @HttpCode(200)
  install(@Body() dto: InstallDto) {
    return this.tenants.install(dto);
  }

  @Post('api/uninstall')
  @HttpCode(200)
  @UseGuards(SessionGuard)
  async uninstall(@Member() member: MemberClaims) {
    requireEdit(member);
    await this.tenants.uninstall(member.tenantId, member.memberId);
    return { uninstalled: true };
  }
}
