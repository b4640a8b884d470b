import { Controller, Get, Param, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { notFound } from '../common/errors';
import { Member, SessionGuard } from '../session/session.guard';
import type { MemberClaims } from '../session/session-token';
import { ScreenModels } from './screen-models';

/** HTML fragments of the app, rendered on the server for the signed-in member (thin: the models do the work). */
@Controller('screens')
@UseGuards(SessionGuard)
export class ScreensController {
  constructor(private readonly models: ScreenModels) {}

  @Get(':name')
  async fragment(
    @Param('name') name: string,
    @Query() query: Record<string, string>,
    @Member() member: MemberClaims,
    @Res() res: Response,
  ) {
    const build = this.models.builders[name];
    if (!build) throw notFound(`The screen "${name}"`);
    const { view, model } = await build(member, query);
    res.render(`screens/fragments/${view}`, { layout: false, canEdit: member.canEdit, member, ...model });
  }
}
