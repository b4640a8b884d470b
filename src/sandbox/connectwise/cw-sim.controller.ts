import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApiResponse, CwSimApi } from './cw-sim.api';
import { withoutNulls } from './cw-sim.resources';
import { CwSimState } from './cw-sim.state';

/** Everything under `/{codebase}/apis/3.0`, including the bare prefix (which answers 404). */
const API = ':codebase/apis/3.0{/*path}';
export const API_PREFIX = /^\/[^/]+\/apis\/3\.0(\/.*)?$/i;

/**
 * The simulated ConnectWise's HTTP face. Answers are written with `@Res()` so that errors keep
 * ConnectWise's bodies instead of going through the app's exception filter.
 */
@Controller()
export class CwSimController {
  constructor(private readonly api: CwSimApi) {}

  @Get('login/companyinfo/:companyId')
  companyInfo(@Param('companyId') companyId: string, @Res() res: Response): void {
    const info = this.api.companyInfo(companyId);
    if (info) res.status(200).json(info);
    else res.status(404).json({ code: 'NotFound', message: 'Company not found' });
  }

  @Get(API)
  get(@Req() req: Request, @Res() res: Response) {
    return this.forward(req, res);
  }

  @Post(API)
  post(@Req() req: Request, @Res() res: Response) {
    return this.forward(req, res);
  }

  @Patch(API)
  patch(@Req() req: Request, @Res() res: Response) {
    return this.forward(req, res);
  }

  @Put(API)
  put(@Req() req: Request, @Res() res: Response) {
    return this.forward(req, res);
  }

  @Delete(API)
  delete(@Req() req: Request, @Res() res: Response) {
    return this.forward(req, res);
  }

  private async forward(req: Request, res: Response): Promise<void> {
    const queryStart = req.originalUrl.indexOf('?');
    const answer = await this.api.handle({
      method: req.method.toUpperCase(),
      codebase: String(req.params.codebase),
      path: API_PREFIX.exec(req.path)?.[1] ?? '/',
      rawQuery: queryStart === -1 ? '' : req.originalUrl.slice(queryStart + 1),
      url: `${req.protocol}://${req.get('host')}${req.originalUrl}`,
      headers: {
        authorization: req.get('authorization'),
        cookie: req.get('cookie'),
        clientid: req.get('clientid'),
      },
      body: req.body,
    });
    send(res, answer);
  }
}

/** Writes a simulated answer; resources lose their null fields, error bodies are sent as they are. */
export function send(res: Response, answer: ApiResponse): void {
  res.status(answer.status);
  for (const [name, value] of Object.entries(answer.headers ?? {})) res.setHeader(name, value);
  if (answer.body === undefined) res.end();
  // Resources leave null fields out; error bodies keep them (`"errors": null` is part of ConnectWise's answer).
  else res.json(answer.status < 400 ? withoutNulls(answer.body) : answer.body);
}

/** Sandbox-only views of the simulated ConnectWise, for tests and the browser journey. */
@Controller('sandbox/cw')
export class CwSimStateController {
  constructor(private readonly state: CwSimState) {}

  @Get('state')
  snapshot() {
    return this.state.snapshot();
  }

  @Post('reset')
  @HttpCode(200)
  reset() {
    this.state.reset();
    return this.state.snapshot();
  }
}
