import { Logger } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';

const logger = new Logger('HTTP');

/**
 * One structured line per request. Only method, path (never the query string: OAuth codes and states live
 * there), status and duration are logged; headers and bodies, which carry keys and tokens, never are.
 */
export function requestLogger(quietPrefixes: string[] = []) {
  return (req: Request, res: Response, next: NextFunction) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      if (quietPrefixes.some((p) => req.path.startsWith(p)) && res.statusCode < 400) return;
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      logger.log(
        JSON.stringify({ method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms) }),
      );
    });
    next();
  };
}
