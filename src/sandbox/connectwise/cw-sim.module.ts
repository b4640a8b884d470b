import { Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { NextFunction, Request, Response } from 'express';
import { CwSimApi } from './cw-sim.api';
import { API_PREFIX, CwSimController, CwSimStateController, send } from './cw-sim.controller';
import { CwSimState } from './cw-sim.state';

/**
 * The simulated ConnectWise REST API and its state. WORLD, SandboxFaults and SandboxStats come from the
 * global SandboxModule that imports this one.
 */
@Module({
  controllers: [CwSimStateController, CwSimController],
  providers: [CwSimState, CwSimApi],
  exports: [CwSimState],
})
export class CwSimModule implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly api: CwSimApi,
  ) {}

  /**
   * Express parses JSON bodies before any route runs, so a malformed body would get the app's error shape.
   * Nest calls this hook after the routes are registered and before its own error handler, which makes this
   * error middleware the first to see such a failure on a simulated ConnectWise path.
   */
  onModuleInit(): void {
    const express = this.adapterHost.httpAdapter?.getInstance?.();
    if (!express) return;
    express.use(
      (error: { type?: string; message?: string }, req: Request, res: Response, next: NextFunction) => {
        const path = API_PREFIX.exec(req.path);
        if (!path || error?.type !== 'entity.parse.failed' || res.headersSent) return next(error);
        send(res, this.api.malformedBody(req.method.toUpperCase(), path[1] ?? '/', error.message ?? ''));
      },
    );
  }
}
