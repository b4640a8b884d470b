import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsNull, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import { AppError, badRequest } from '../common/errors';
import { ConnectWiseClient, CwTarget } from '../connectwise/connectwise.client';
import { ConnectWiseError } from '../connectwise/connectwise.errors';
import { ConnectWiseClients } from '../connectwise/connectwise.module';
import { CwHostedSetup, CwMenuEntry } from '../connectwise/connectwise.types';
import { APP_CONFIG, AppConfig } from '../config/config';
import { manifest, ManifestEntry } from './manifest';
import { apiHostFor, normalizeSite } from './site';
import { DEFAULT_SETTINGS, HostedEntryRef, Tenant } from './tenant.entity';

export class InstallDto {
  @IsString()
  @IsNotEmpty({ message: 'Enter the ConnectWise site, e.g. na.myconnectwise.net' })
  @MaxLength(255)
  site: string;
  @IsString()
  @IsNotEmpty({ message: 'Enter the company ID you log in to ConnectWise with' })
  @MaxLength(100)
  companyId: string;
  @IsString() @IsNotEmpty({ message: "Enter the API member's public key" }) @MaxLength(200) publicKey: string;
  @IsString()
  @IsNotEmpty({ message: "Enter the API member's private key" })
  @MaxLength(200)
  privateKey: string;
}

export const PUBLIC_ORIGIN = Symbol('PUBLIC_ORIGIN');
export type PublicOrigin = () => string;

export interface InstallResult {
  tenantId: number;
  companyId: string;
  site: string;
  apiHost: string;
  codebase: string;
  entries: (HostedEntryRef & { action: 'created' | 'updated' })[];
}

/** Each permission of the manifest with a request that shows whether the role has it, without changing anything. */
const PERMISSION_PROBES: Record<string, [method: string, path: string, body?: unknown]> = {
  'Companies.CompanyMaintenance.Inquire': ['get', '/company/companies/count'],
  'Finance.Agreements.Inquire': ['get', '/finance/agreements/count'],
  'Finance.Agreements.Add': ['post', '/finance/agreements/0/additions', {}],
  'Finance.Agreements.Edit': ['patch', '/finance/agreements/0/additions/0', []],
  'Procurement.ProductCatalog.Inquire': ['get', '/procurement/catalog/count'],
  'System.TableSetup.Inquire': ['get', '/system/connectWiseHostedScreens'],
  'System.TableSetup.ManageHostedApi': ['post', '/system/connectwisehostedsetups', {}],
};

@Injectable()
export class TenantsService {
  private readonly logger = new Logger('Install');

  constructor(
    @InjectRepository(Tenant) private readonly tenants: Repository<Tenant>,
    private readonly clients: ConnectWiseClients,
    private readonly audit: AuditService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PUBLIC_ORIGIN) private readonly publicOrigin: PublicOrigin,
  ) {}

  findByCompanyId(companyId: string): Promise<Tenant | null> {
    return this.tenants.findOne({ where: { companyId: companyId.trim().toLowerCase() } });
  }

  allInstalled(): Promise<Tenant[]> {
    return this.tenants.find({ where: { uninstalledAt: IsNull() } });
  }

  async get(tenantId: number): Promise<Tenant> {
    const tenant = await this.tenants.findOne({ where: { id: tenantId } });
    if (!tenant || tenant.uninstalledAt)
      throw new AppError(401, 'NOT_INSTALLED', 'The plugin is not installed for this company.');
    return tenant;
  }

  /** The API-member client of an installed tenant. */
  client(tenant: Tenant): ConnectWiseClient {
    if (!tenant.publicKey || !tenant.privateKey)
      throw new AppError(
        409,
        'NOT_INSTALLED',
        'Install the plugin again: its ConnectWise keys were removed.',
      );
    return this.clients.for(this.target(tenant, tenant.publicKey, tenant.privateKey));
  }

  target(
    tenant: Pick<Tenant, 'apiHost' | 'codebase' | 'companyId'>,
    username: string,
    password: string,
  ): CwTarget {
    return {
      apiHost: tenant.apiHost,
      codebase: tenant.codebase,
      companyId: tenant.companyId,
      username,
      password,
    };
  }

  async install(dto: InstallDto): Promise<InstallResult> {
    const site = normalizeSite(dto.site);
    if (!site)
      throw badRequest(
        'BAD_SITE',
        `"${dto.site}" is not a ConnectWise site. Enter the host you sign in at, e.g. na.myconnectwise.net.`,
      );
    const companyId = dto.companyId.trim();

    const info = await ConnectWiseClient.companyInfo(site, companyId, this.clients.originFor).catch(
      (error) => {
        throw error instanceof ConnectWiseError && error.code === 'UnknownCompany'
          ? badRequest(
              'UNKNOWN_COMPANY',
              `${site} has no company "${companyId}". Check the company ID you sign in with.`,
            )
          : badRequest(
              'SITE_UNREACHABLE',
              `We could not reach ConnectWise at ${site}. Check the site name (e.g. na.myconnectwise.net).`,
            );
      },
    );
    const codebase = info.Codebase.endsWith('/') ? info.Codebase : `${info.Codebase}/`;
    const apiHost = apiHostFor(site, codebase);
    const client = this.clients.for({
      apiHost,
      codebase,
      companyId,
      username: dto.publicKey.trim(),
      password: dto.privateKey.trim(),
    });

    await client.systemInfo().catch((error) => {
      if (error instanceof ConnectWiseError && error.status === 401) {
        throw badRequest(
          'BAD_KEYS',
          'ConnectWise refused these API keys. Check the public and private key of the API member (System > Members > API Members).',
        );
      }
      throw this.unexpected(error);
    });
    const missing = await this.missingPermissions(client);
    if (missing.length) {
      throw badRequest(
        'MISSING_PERMISSIONS',
        `The API member's security role lacks ${missing.length} permission(s): ${missing.map((p) => `${p.module} > ${p.function}: ${p.level}`).join('; ')}. Add them in System > Security Roles, then install again.`,
        { missing: missing.map((p) => p.id) },
      );
    }

    const existing = await this.findByCompanyId(companyId);
    const tenant =
      existing ??
      this.tenants.create({ settings: DEFAULT_SETTINGS, hostedEntries: [], setupComplete: false });
    Object.assign(tenant, {
      companyId: companyId.toLowerCase(),
      site,
      apiHost,
      codebase,
      publicKey: dto.publicKey.trim(),
      privateKey: dto.privateKey.trim(),
      uninstalledAt: null,
    });
    const saved = await this.tenants.save(tenant);
    const entries = await this.registerEntries(client, saved).catch((error) => {
      throw this.unexpected(error);
    });
    saved.hostedEntries = entries.map(({ kind, key, id }) => ({ kind, key, id }));
    await this.tenants.save(saved);
    await this.audit.record({
      tenantId: saved.id,
      actor: 'installer',
      action: existing ? 'reinstall' : 'install',
      entity: 'tenant',
      entityId: saved.id,
      after: { site, apiHost, codebase, entries: saved.hostedEntries },
      summary: `Installed for ${companyId} on ${site}`,
    });
    this.logger.log(`${existing ? 'Reinstalled' : 'Installed'} tenant ${saved.id} (${site})`);
    return { tenantId: saved.id, companyId: saved.companyId, site, apiHost, codebase, entries };
  }

  /** Removes our menu entry and pod from ConnectWise and wipes every stored credential of the tenant. */
  async uninstall(tenantId: number, actor: string): Promise<void> {
    const tenant = await this.get(tenantId);
    const client = this.client(tenant);
    for (const entry of tenant.hostedEntries) {
      const remove =
        entry.kind === 'menu' ? client.deleteMenuEntry(entry.id) : client.deleteHostedSetup(entry.id);
      await remove.catch((error) => {
        if (!(error instanceof ConnectWiseError && error.status === 404)) throw this.unexpected(error);
      });
    }
    await this.tenants.update({ id: tenant.id }, {
      publicKey: null,
      privateKey: null,
      hostedEntries: [] as HostedEntryRef[],
      uninstalledAt: new Date(),
    } as never);
    await this.tenants.manager.query(
      'UPDATE appriver_connections SET client_id = NULL, client_secret = NULL, access_token = NULL, refresh_token = NULL, status = ? WHERE tenant_id = ?',
      ['not_connected', tenant.id],
    );
    await this.audit.record({
      tenantId: tenant.id,
      actor,
      action: 'uninstall',
      entity: 'tenant',
      entityId: tenant.id,
      summary: 'Uninstalled; credentials wiped',
    });
  }

  private async missingPermissions(client: ConnectWiseClient) {
    const missing = [];
    for (const permission of manifest().permissions) {
      const [method, path, body] = PERMISSION_PROBES[permission.id];
      if ((await client.probe('permissionProbe', method, path, body)) === 403) missing.push(permission);
    }
    return missing;
  }

  /** Creates or updates (never duplicates) the manifest's entries: ours are found by stored id, then by URL. */
  private async registerEntries(client: ConnectWiseClient, tenant: Tenant) {
    const origin = this.publicOrigin();
    const [menus, setups, screens] = await Promise.all([
      client.menuEntries(),
      client.hostedSetups(),
      client.hostedScreens(),
    ]);
    const known = new Map(tenant.hostedEntries.map((e) => [e.key, e.id]));
    const results: InstallResult['entries'] = [];
    for (const entry of manifest().hostedEntries) {
      const url = `${origin}${entry.path}`;
      if (entry.kind === 'menu') {
        const body: CwMenuEntry = {
          caption: entry.caption,
          link: url,
          origin,
          newWindowFlag: entry.newWindow,
          clientId: this.config.connectwise.clientId,
        };
        const found =
          menus.find((m) => m.id === known.get(entry.key)) ?? menus.find((m) => sameEntry(m.link, url));
        const saved = found
          ? await client.updateMenuEntry(found.id, body)
          : await client.createMenuEntry(body);
        results.push({
          kind: 'menu',
          key: entry.key,
          id: saved.id ?? found!.id,
          action: found ? 'updated' : 'created',
        });
      } else {
        const screen = screens.find((s) => s.name.toLowerCase() === entry.screen.toLowerCase());
        if (!screen)
          throw badRequest(
            'NO_HOSTED_SCREEN',
            `This ConnectWise does not offer the ${entry.screen} screen for hosted pods.`,
          );
        const body: CwHostedSetup = {
          ...podFields(entry),
          screenId: screen.screenId,
          url,
          origin,
          clientId: this.config.connectwise.clientId,
          disabledFlag: false,
        };
        const found =
          setups.find((s) => s.id === known.get(entry.key)) ?? setups.find((s) => sameEntry(s.url, url));
        const saved = found
          ? await client.updateHostedSetup(found.id, body)
          : await client.createHostedSetup(body);
        results.push({
          kind: 'pod',
          key: entry.key,
          id: saved.id ?? found!.id,
          action: found ? 'updated' : 'created',
        });
      }
    }
    return results;
  }

  private unexpected(error: unknown): AppError {
    if (error instanceof AppError) return error;
    const message = error instanceof ConnectWiseError ? error.userMessage : 'unexpected error';
    this.logger.warn(`Install failed: ${(error as Error).message}`);
    return new AppError(
      502,
      'CONNECTWISE_ERROR',
      `ConnectWise answered with an error: ${message}. Try again in a minute.`,
    );
  }
}

function podFields(entry: Extract<ManifestEntry, { kind: 'pod' }>) {
  return { description: entry.description, type: 'Pod' as const, podHeight: entry.podHeight };
}

/** Same page ignoring the origin: a reinstall after the service moved updates its entries instead of adding more. */
function sameEntry(a: string | undefined, b: string): boolean {
  const path = (u: string) => u.replace(/^[a-z]+:\/\/[^/]+/i, '');
  return !!a && path(a) === path(b);
}
