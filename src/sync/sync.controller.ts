import { Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Member, requireEdit, SessionGuard } from '../session/session.guard';
import type { MemberClaims } from '../session/session-token';
import { SyncService } from './sync.service';

@Controller('api/sync')
@UseGuards(SessionGuard)
export class SyncController {
  constructor(private readonly sync: SyncService) {}

  /** "Sync now": starts a run, or returns the one already running. */
  @Post()
  @HttpCode(202)
  async start(@Member() m: MemberClaims) {
    requireEdit(m);
    const run = await this.sync.start(m.tenantId, 'manual', m.memberId);
    return { runId: run.id, state: run.status };
  }

  @Get('status')
  status(@Member() m: MemberClaims) {
    return this.sync.status(m.tenantId);
  }
}
