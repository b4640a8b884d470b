import { All, Controller, Get, Inject, Post, Req, Res } from '@nestjs/common';
import type { Request, Response } from 'express';
import { SandboxFaults, SandboxStats, sleep } from '../faults';
import { WORLD } from '../sandbox.tokens';
import { World, WorldCustomer } from '../world';
import { one } from './ar-auth.controller';
import { sendFault } from './ar-sim.faults';
import { ArSimState } from './ar-sim.state';
import {
  arError,
  customerBody,
  findSubscription,
  subscriptionDetail,
  subscriptionListItem,
} from './ar-sim.wire';

interface Reply {
  status?: number;
  body: unknown;
}
type Caller = { username: string; roles: string[] };

const INVALID = { status: 400, body: { Message: 'The request is invalid.' } };
const billingDenied = (): Reply => ({
  status: 403,
  body: arError(403, 'access_denied', 'Access was denied because the user does not have the Billing role.'),
});

/**
 * The simulated Secure Cloud resources (research/appriver.md §3, §8.2) under the Unity prefix. Every request
 * is counted, may be delayed or failed by the fault injector, and needs a live bearer token.
 */
@Controller('sandbox/appriver/service/api/securecloud')
export class ArApiController {
  constructor(
    @Inject(WORLD) private readonly world: World,
    private readonly state: ArSimState,
    private readonly faults: SandboxFaults,
    private readonly stats: SandboxStats,
  ) {}

  @Get('customers')
  listCustomers(@Req() req: Request, @Res() res: Response) {
    return this.serve(req, res, 'GET /customers', () => {
      const limit = intParam(req.query.limit, 100);
      const offset = intParam(req.query.offset, 0);
      const includeClosed = boolParam(req.query.includeClosedCustomers);
      // The documented range; limit=1 and limit=5 are refused in production.
      if (limit === null || limit < 10 || limit > 1000 || offset === null || includeClosed === null)
        return INVALID;
      const all = this.world.appriver.customers.filter((c) => includeClosed || !c.IsClosed);
      const page = all.slice(offset, offset + limit);
      const more = offset + limit < all.length;
      return {
        body: {
          Customers: page.map(customerBody),
          Links: more ? { NextPageLimit: limit, NextPageOffset: offset + limit } : {},
          Meta: { Page: { Total: all.length } },
        },
      };
    });
  }

  @Get('customers/:customerId')
  getCustomer(@Req() req: Request, @Res() res: Response) {
    return this.serve(req, res, 'GET /customers/{id}', () => {
      const customer = this.customer(req.params.customerId);
      return customer ? { body: customerBody(customer) } : customerNotFound();
    });
  }

  @Get('customers/:customerId/subscriptions')
  listSubscriptions(@Req() req: Request, @Res() res: Response) {
    return this.serve(req, res, 'GET /customers/{id}/subscriptions', (caller) => {
      const denied = this.subscriptionAccess(caller, req.params.customerId);
      if (!('customer' in denied)) return denied;
      const items = denied.customer.subscriptions.map(subscriptionListItem);
      // Both shapes are seen in production; the world's fault switch picks the bare one.
      return {
        body: this.faults.current.appriver.subscriptionsAsBareArray ? items : { Subscriptions: items },
      };
    });
  }

  // Express matches routes on the raw path and decodes params afterwards, so a key sent as `a%2Fb` arrives
  // here as `a/b` in one segment; an unencoded `/` does not match and gets the 404 below, as in production.
  @Get('customers/:customerId/subscriptions/:subscriptionKey')
  getSubscription(@Req() req: Request, @Res() res: Response) {
    return this.serve(req, res, 'GET /customers/{id}/subscriptions/{key}', (caller) => {
      const denied = this.subscriptionAccess(caller, req.params.customerId);
      if (!('customer' in denied)) return denied;
      const subscription = findSubscription(denied.customer, String(req.params.subscriptionKey));
      if (!subscription) return { status: 404, body: arError(404, 'not_found', 'Subscription not found') };
      return { body: subscriptionDetail(denied.customer, subscription) };
    });
  }

  // The charges endpoints' response is undocumented; only their access rule matters to us.
  @Post('usage/charges')
  charges(@Req() req: Request, @Res() res: Response) {
    return this.serve(req, res, 'POST /usage/charges', (caller) =>
      caller.roles.includes('Billing') ? { body: { Attributes: [] } } : billingDenied(),
    );
  }

  @Post('usage/charges/events')
  chargeEvents(@Req() req: Request, @Res() res: Response) {
    return this.serve(req, res, 'POST /usage/charges/events', (caller) =>
      caller.roles.includes('Billing') ? { body: { Attributes: [] } } : billingDenied(),
    );
  }

  @All('*path')
  unknown(@Req() req: Request, @Res() res: Response) {
    return this.serve(req, res, `${req.method} (unknown)`, () => ({
      status: 404,
      body: arError(404, 'not_found', 'The requested resource was not found.'),
    }));
  }

  private customer(id: string | string[] | undefined): WorldCustomer | undefined {
    return typeof id === 'string'
      ? this.world.appriver.customers.find((c) => c.CustomerId.toLowerCase() === id.toLowerCase())
      : undefined;
  }

  /** Subscriptions need the Billing role, an existing customer, and one the partner resells. */
  private subscriptionAccess(
    caller: Caller,
    customerId: string | string[] | undefined,
  ): Reply | { customer: WorldCustomer } {
    if (!caller.roles.includes('Billing')) return billingDenied();
    const customer = this.customer(customerId);
    if (!customer) return customerNotFound();
    if (customer.CustomerType === 'Referred') {
      return {
        status: 403,
        body: arError(
          403,
          'access_denied',
          "Access was denied to this customer's subscriptions: the customer is referred, not resold.",
        ),
      };
    }
    return { customer };
  }

  private async serve(
    req: Request,
    res: Response,
    endpoint: string,
    handle: (caller: Caller) => Reply,
  ): Promise<void> {
    this.stats.count('appriver', endpoint);
    const { latencyMs, fault } = this.faults.next('appriver');
    if (latencyMs) await sleep(latencyMs);
    if (fault) return sendFault(res, fault);
    const bearer = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
    const grant = this.state.bearer(bearer ? bearer[1] : null);
    if (!grant) {
      res
        .status(401)
        .set('WWW-Authenticate', 'Bearer error="invalid_token"')
        .json(arError(401, 'invalid_token', 'Access was denied due to expired token'));
      return;
    }
    // The token remembers who signed in; their roles decide the Billing check.
    const user = this.state.user(grant.username);
    const reply = handle({ username: grant.username, roles: user?.roles ?? [] });
    res.status(reply.status ?? 200).json(reply.body);
  }
}

function customerNotFound(): Reply {
  return { status: 404, body: arError(404, 'not_found', 'Customer not found') };
}

/** ASP.NET-style binding: absent → default, a whole number → it, anything else → null (a 400). */
function intParam(value: unknown, fallback: number): number | null {
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value.trim())) return null;
  return Number(value.trim());
}

function boolParam(value: unknown): boolean | null {
  if (value === undefined) return false;
  const text = one(value)?.trim().toLowerCase();
  return text === 'true' ? true : text === 'false' ? false : null;
}
