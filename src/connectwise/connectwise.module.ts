import { Global, Inject, Injectable, Module, Optional } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/config';
import { limiter } from '../common/http-retry';
import { ConnectWiseClient, CwTarget } from './connectwise.client';

/** Maps an API or site host to the origin we call; production is always https. */
export const CW_ORIGIN_RESOLVER = Symbol('CW_ORIGIN_RESOLVER');
export type OriginResolver = (host: string) => string;

/** Makes ConnectWise clients with one concurrency bound and one set of counters per tenant. */
@Injectable()
export class ConnectWiseClients {
  private readonly limits = new Map<string, <T>(fn: () => Promise<T>) => Promise<T>>();
  private readonly counters = new Map<string, Record<string, number>>();
  readonly originFor: OriginResolver;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(CW_ORIGIN_RESOLVER) resolver?: OriginResolver,
  ) {
    this.originFor = resolver ?? ((host) => `https://${host}`);
  }

  for(target: CwTarget): ConnectWiseClient {
    const key = `${target.companyId.toLowerCase()}@${target.apiHost}`;
    if (!this.limits.has(key)) {
      this.limits.set(key, limiter(this.config.connectwise.concurrency));
      this.counters.set(key, {});
    }
    return new ConnectWiseClient(target, {
      clientId: this.config.connectwise.clientId,
      apiVersion: this.config.connectwise.apiVersion,
      originFor: this.originFor,
      limit: this.limits.get(key)!,
      counters: this.counters.get(key),
    });
  }

  /** Calls per operation for a tenant, e.g. for the benchmark and the status screen. */
  countersFor(companyId: string, apiHost: string): Record<string, number> {
    return { ...(this.counters.get(`${companyId.toLowerCase()}@${apiHost}`) ?? {}) };
  }
}

@Global()
@Module({ providers: [ConnectWiseClients], exports: [ConnectWiseClients] })
export class ConnectWiseModule {}
