import type { NextFunction, Request, Response } from 'express';

/**
 * Screens may be framed only by ConnectWise (and the sandbox's simulated ConnectWise); everything else,
 * the install page included, by nobody.
 */
export function securityHeaders(frameAncestors: () => string[], framedPrefixes: string[]) {
  return (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (framedPrefixes.some((p) => req.path === p || req.path.startsWith(`${p}/`))) {
      res.setHeader('Content-Security-Policy', `frame-ancestors 'self' ${frameAncestors().join(' ')}`);
    } else if (!req.path.startsWith('/public/')) {
      res.setHeader('Content-Security-Policy', "frame-ancestors 'none'");
      res.setHeader('X-Frame-Options', 'DENY');
    }
    next();
  };
}
