import { Controller, Get, Logger, Param, Query, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import { notFound } from '../common/errors';
import { Member, SessionGuard } from '../session/session.guard';
import type { MemberClaims } from '../session/session-token';
import { ScreenModels } from './screen-models';

/** HTML fragments of the app, rendered on the server for the signed-in member (thin: the models do the work). */
@Controller('screens')
@UseGuards(SessionGuard)
export class ScreensController {
  private readonly logger = new Logger('Screens');

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
    // The leading marker tells the page which screen it got ("home" resolves to connect or usage).
    res.render(
      `screens/fragments/${view}`,
      { layout: false, canEdit: member.canEdit, member, ...model },
      (error, html) => {
        if (error) {
          this.logger.error(`Screen ${view} failed to render: ${error.stack ?? error}`);
          res
            .status(500)
            .type('html')
            .send(
              '<div class="alert alert-error" role="alert"><p>This screen could not be drawn. Reload the page; if it keeps failing, contact support.</p></div>',
            );
          return;
        }
        res.type('html').send(`<!--screen:${view}-->${html}`);
      },
    );
  }
}
