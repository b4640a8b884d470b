import { Injectable } from '@nestjs/common';
import { ConnectionService } from '../appriver/connection.service';
import type { MemberClaims } from '../session/session-token';
import { TenantsService } from '../tenants/tenants.service';

export type ScreenBuilder = (
  member: MemberClaims,
  query: Record<string, string>,
) => Promise<{ view: string; model: Record<string, unknown> }>;

const BADGES: Record<string, string> = {
  not_connected: '',
  authorizing: 'badge-info',
  importing: 'badge-info',
  ready: 'badge-ok',
  active: 'badge-ok',
  reauth_required: 'badge-bad',
  error: 'badge-bad',
};

/** View models of the screens: each one a function of the member and the query. */
@Injectable()
export class ScreenModels {
  readonly builders: Record<string, ScreenBuilder> = {
    home: (m, q) => this.home(m, q),
    connect: (m) => this.connect(m),
  };

  constructor(
    private readonly connection: ConnectionService,
    private readonly tenants: TenantsService,
  ) {}

  register(name: string, builder: ScreenBuilder): void {
    this.builders[name] = builder;
  }

  /** Setup first; once finished, the month's work. */
  private async home(member: MemberClaims, query: Record<string, string>) {
    const tenant = await this.tenants.get(member.tenantId);
    const next = tenant.setupComplete && this.builders.usage ? this.builders.usage : this.builders.connect;
    return next(member, query);
  }

  private async connect(member: MemberClaims) {
    const s = await this.connection.status(member.tenantId);
    return {
      view: 'connect',
      model: {
        s,
        badge: BADGES[s.status],
        busy: s.status === 'importing' || s.status === 'authorizing',
        problem: s.status === 'error' || s.status === 'reauth_required',
        reconnect: s.status === 'reauth_required' || s.status === 'error',
        ready: s.status === 'ready' || s.status === 'active',
        lastImport: s.lastImportAt
          ? new Date(s.lastImportAt).toISOString().slice(0, 16).replace('T', ' ') + ' UTC'
          : null,
      },
    };
  }
}
