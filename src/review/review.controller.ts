import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Put,
  Query,
  Res,
  UseGuards,
} from '@nestjs/common';
import type { Response } from 'express';
import { AuditService } from '../audit/audit.service';
import { Member, requireEdit, SessionGuard } from '../session/session.guard';
import type { MemberClaims } from '../session/session-token';
import { SettingsDto, SettingsService } from './settings.service';
import { ApproveDto, DismissDto, NoteDto, UsageQuery, UsageService } from './usage.service';

@Controller('api')
@UseGuards(SessionGuard)
export class ReviewController {
  constructor(
    private readonly usage: UsageService,
    private readonly settings: SettingsService,
    private readonly audit: AuditService,
  ) {}

  @Get('usage')
  list(@Member() m: MemberClaims, @Query() q: UsageQuery) {
    return this.usage.list(m.tenantId, q);
  }

  @Get('usage.csv')
  async csv(@Member() m: MemberClaims, @Query() q: UsageQuery, @Res() res: Response) {
    const body = await this.usage.csv(m.tenantId, q);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="appriver-usage-${new Date().toISOString().slice(0, 10)}.csv"`,
    );
    res.send(body);
  }

  @Get('usage/unmapped')
  unmapped(@Member() m: MemberClaims) {
    return this.usage.unmappedQueue(m.tenantId);
  }

  @Post('usage/approve')
  @HttpCode(200)
  approve(@Member() m: MemberClaims, @Body() dto: ApproveDto) {
    requireEdit(m);
    return this.usage.approve(m, dto);
  }

  @Post('usage/dismiss')
  @HttpCode(200)
  dismiss(@Member() m: MemberClaims, @Body() dto: DismissDto) {
    requireEdit(m);
    return this.usage.dismiss(m, dto);
  }

  @Put('usage/:id/note')
  note(@Member() m: MemberClaims, @Param('id', ParseIntPipe) id: number, @Body() dto: NoteDto) {
    requireEdit(m);
    return this.usage.setNote(m, id, dto.note);
  }

  @Get('audit')
  auditLog(
    @Member() m: MemberClaims,
    @Query() q: { action?: string; entity?: string; actor?: string; page?: string; pageSize?: string },
  ) {
    return this.audit.list(m.tenantId, {
      action: q.action,
      entity: q.entity,
      actor: q.actor,
      page: Number(q.page) || 1,
      pageSize: Number(q.pageSize) || 50,
    });
  }

  @Get('settings')
  getSettings(@Member() m: MemberClaims) {
    return this.settings.get(m.tenantId);
  }

  @Put('settings')
  putSettings(@Member() m: MemberClaims, @Body() dto: SettingsDto) {
    requireEdit(m);
    return this.settings.update(m, dto);
  }
}
