import { Body, Controller, Get, HttpCode, Next, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { Member, requireEdit, SessionGuard } from '../session/session.guard';
import type { MemberClaims } from '../session/session-token';
import { CallbackOutcome, ConnectionService, CredentialsDto } from './connection.service';

@Controller('api/appriver')
@UseGuards(SessionGuard)
export class AppRiverApiController {
  constructor(private readonly connection: ConnectionService) {}

  @Get('status')
  status(@Member() member: MemberClaims) {
    return this.connection.status(member.tenantId);
  }

  @Put('credentials')
  credentials(@Member() member: MemberClaims, @Body() dto: CredentialsDto) {
    requireEdit(member);
    return this.connection.saveCredentials(member, dto);
  }

  @Post('authorize')
  @HttpCode(200)
  authorize(@Member() member: MemberClaims) {
    requireEdit(member);
    return this.connection.authorize(member);
  }

  @Post('disconnect')
  @HttpCode(200)
  disconnect(@Member() member: MemberClaims) {
    requireEdit(member);
    return this.connection.disconnect(member);
  }
}

/** The pop-up window's pages: not framed, no bearer token (the one-time ticket and state authenticate them). */
@Controller('appriver/oauth')
export class AppRiverOAuthController {
  constructor(private readonly connection: ConnectionService) {}

  @Get('start')
  async start(
    @Query('ticket') ticket: string,
    @Req() req: Request,
    @Res() res: Response,
    @Next() next: NextFunction,
  ) {
    const outcome = await this.connection.start(ticket ?? '', req, res, next);
    if (outcome) this.render(res, outcome);
  }

  @Get('callback')
  async callback(@Req() req: Request, @Res() res: Response) {
    this.render(res, await this.connection.callback(req, res));
  }

  private render(res: Response, outcome: CallbackOutcome) {
    if (res.headersSent) return;
    res.status(outcome.ok ? 200 : 400).render('appriver/callback', {
      layout: 'layouts/standalone',
      title: outcome.ok ? 'AppRiver connected' : 'AppRiver not connected',
      ...outcome,
    });
  }
}
