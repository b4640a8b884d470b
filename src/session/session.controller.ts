import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { Member, SessionGuard } from './session.guard';
import type { MemberClaims } from './session-token';
import { MemberPayloadDto, SessionService } from './session.service';

@Controller('api/session')
export class SessionController {
  constructor(private readonly sessions: SessionService) {}

  /** Body: the member payload of ConnectWise's getMemberAuthentication, as the hosted page received it. */
  @Post()
  @HttpCode(200)
  signIn(@Body() payload: MemberPayloadDto) {
    return this.sessions.signIn(payload);
  }

  @Get()
  @UseGuards(SessionGuard)
  me(@Member() member: MemberClaims) {
    return { member };
  }
}
