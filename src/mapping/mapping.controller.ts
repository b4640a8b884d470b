import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Query,
  UseGuards,
} from '@nestjs/common';
import { Member, requireEdit, SessionGuard } from '../session/session.guard';
import type { MemberClaims } from '../session/session-token';
import { ExcludeDto, MapAccountDto, MappingService, MapServiceDto } from './mapping.service';
import { SetupService } from './setup.service';

@Controller('api')
@UseGuards(SessionGuard)
export class MappingController {
  constructor(
    private readonly mapping: MappingService,
    private readonly setup: SetupService,
  ) {}

  @Get('accounts')
  accounts(
    @Member() m: MemberClaims,
    @Query() q: { filter?: string; search?: string; page?: string; pageSize?: string },
  ) {
    return this.mapping.listAccounts(m.tenantId, {
      filter: q.filter,
      search: q.search,
      page: Number(q.page),
      pageSize: Number(q.pageSize),
    });
  }

  @Post('accounts/auto-match')
  @HttpCode(200)
  autoMatch(@Member() m: MemberClaims) {
    requireEdit(m);
    return this.mapping.autoMatch(m.tenantId, m.memberId);
  }

  @Put('accounts/:id/mapping')
  map(@Member() m: MemberClaims, @Param('id', ParseIntPipe) id: number, @Body() dto: MapAccountDto) {
    requireEdit(m);
    return this.mapping.mapAccount(m, id, dto);
  }

  @Delete('accounts/:id/mapping')
  unmap(@Member() m: MemberClaims, @Param('id', ParseIntPipe) id: number) {
    requireEdit(m);
    return this.mapping.unmapAccount(m, id);
  }

  @Post('accounts/:id/exclude')
  @HttpCode(200)
  exclude(@Member() m: MemberClaims, @Param('id', ParseIntPipe) id: number, @Body() dto: ExcludeDto) {
    requireEdit(m);
    return this.mapping.exclude(m, id, dto.excluded ?? true);
  }

  @Get('psa/companies')
  companies(@Member() m: MemberClaims, @Query('search') search = '', @Query('page') page = '1') {
    return this.mapping.searchCompanies(m.tenantId, search, Number(page));
  }

  @Get('psa/companies/:id/agreements')
  agreements(@Member() m: MemberClaims, @Param('id', ParseIntPipe) id: number) {
    return this.mapping.companyAgreements(m.tenantId, id);
  }

  @Get('psa/products')
  products(@Member() m: MemberClaims, @Query('search') search = '', @Query('page') page = '1') {
    return this.mapping.searchProducts(m.tenantId, search, Number(page));
  }

  @Get('services')
  services(@Member() m: MemberClaims) {
    return this.mapping.listServices(m.tenantId);
  }

  @Put('services/:id/mapping')
  mapService(@Member() m: MemberClaims, @Param('id', ParseIntPipe) id: number, @Body() dto: MapServiceDto) {
    requireEdit(m);
    return this.mapping.mapService(m, id, dto);
  }

  @Delete('services/:id/mapping')
  unmapService(@Member() m: MemberClaims, @Param('id', ParseIntPipe) id: number) {
    requireEdit(m);
    return this.mapping.unmapService(m, id);
  }

  @Get('setup/review')
  review(@Member() m: MemberClaims) {
    return this.mapping.review(m.tenantId);
  }

  @Post('setup/finish')
  @HttpCode(200)
  finish(@Member() m: MemberClaims) {
    requireEdit(m);
    return this.setup.finish(m);
  }
}
