import type { Response } from 'express';
import { FaultDecision } from '../faults';
import { arError } from './ar-sim.wire';

/** Answers a request the fault injector chose to fail, the way the Unity gateway (or a proxy before it) would. */
export function sendFault(res: Response, fault: NonNullable<FaultDecision>): void {
  switch (fault.kind) {
    case 'rate_limit':
      res
        .status(429)
        .set('Retry-After', String(fault.retryAfterSeconds))
        .json(
          arError(
            429,
            'too_many_requests',
            `Rate limit exceeded. Retry after ${fault.retryAfterSeconds} seconds.`,
          ),
        );
      return;
    case 'server_error':
      res.status(503).json(arError(503, 'service_unavailable', 'The service is temporarily unavailable.'));
      return;
    case 'empty_body':
      res.status(200).type('application/json').send('');
      return;
    case 'html_error':
      res
        .status(502)
        .type('text/html')
        .send(
          '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>',
        );
      return;
  }
}
