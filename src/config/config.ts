import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBooleanString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  validateSync,
} from 'class-validator';
import * as path from 'node:path';
import { DEMO_WORLD } from './paths';

const toInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value;

const CONNECTWISE_ORIGINS = [
  'https://na.myconnectwise.net',
  'https://eu.myconnectwise.net',
  'https://au.myconnectwise.net',
  'https://aus.myconnectwise.net',
  'https://za.myconnectwise.net',
  'https://staging.connectwisedev.com',
].join(',');

/** The environment as the process receives it; every rule here is checked once at boot. */
class Env {
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(65535) PORT?: number;
  @IsOptional() @IsString() HOST?: string;
  @IsOptional() @IsString() DATA_DIR?: string;
  @IsOptional()
  @Matches(/^mysql:\/\/[^:/@]+(:[^@]*)?@[^:/]+(:\d+)?\/[A-Za-z0-9_$-]+(\?.*)?$/, {
    message: 'DATABASE_URL must look like mysql://user:password@host:3306/database (or be unset for SQLite)',
  })
  DATABASE_URL?: string;
  @IsOptional() @IsIn(['0', '1', 'true', 'false']) SANDBOX?: string;
  @IsOptional() @IsString() SANDBOX_WORLD?: string;
  @IsOptional() @IsIn(['0', '1', 'true', 'false']) SANDBOX_PERSIST?: string;
  @IsOptional()
  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'PUBLIC_URL must be an absolute URL' })
  PUBLIC_URL?: string;
  @IsOptional()
  @Matches(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: 'CW_CLIENT_ID must be the GUID ConnectWise issued for this integration',
  })
  CW_CLIENT_ID?: string;
  @IsOptional() @IsString() CW_ALLOWED_ORIGINS?: string;
  @IsOptional() @IsString() CW_API_VERSION?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(32) CW_CONCURRENCY?: number;
  @IsOptional()
  @Matches(/^([A-Za-z0-9+/]{43}=|[0-9a-fA-F]{64})$/, {
    message:
      'APP_ENCRYPTION_KEY must be 32 random bytes, base64 (44 chars) or hex (64 chars): openssl rand -base64 32',
  })
  APP_ENCRYPTION_KEY?: string;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) APPRIVER_AUTH_BASE_URL?: string;
  @IsOptional() @Matches(/^\//) APPRIVER_AUTHORIZE_PATH?: string;
  @IsOptional() @Matches(/^\//) APPRIVER_TOKEN_PATH?: string;
  @IsOptional() @IsUrl({ require_tld: false, require_protocol: true }) APPRIVER_API_BASE_URL?: string;
  @IsOptional() @IsString() APPRIVER_SCOPE?: string;
  @IsOptional() @IsIn(['basic', 'body']) APPRIVER_CLIENT_AUTH?: string;
  @IsOptional() @Transform(toInt) @IsInt() @Min(10) @Max(1000) APPRIVER_PAGE_SIZE?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(1) @Max(16) APPRIVER_CONCURRENCY?: number;
  @IsOptional() @Transform(toInt) @IsInt() @Min(0) @Max(240) APPRIVER_REFRESH_SKEW_SECONDS?: number;
  @IsOptional() @IsIn(['error', 'warn', 'info', 'debug']) LOG_LEVEL?: string;
  @IsOptional() @IsBooleanString() JOBS_DISABLED?: string;
}

export interface AppConfig {
  port: number;
  host: string;
  dataDir: string;
  database: { type: 'sqlite'; file: string } | { type: 'mysql'; url: string };
  sandbox: boolean;
  sandboxWorld: string;
  /** The simulated ConnectWise keeps what was written across restarts (a file under DATA_DIR). */
  sandboxPersist: boolean;
  publicUrl: string | null;
  encryptionKey: string | null;
  logLevel: 'error' | 'warn' | 'info' | 'debug';
  /** Background schedulers (sync schedule, token keep-alive); tests switch them off. */
  jobsEnabled: boolean;
  connectwise: { clientId: string; allowedOrigins: string[]; apiVersion: string; concurrency: number };
  appriver: {
    authBaseUrl: string;
    authorizePath: string;
    tokenPath: string;
    apiBaseUrl: string;
    scope: string;
    clientAuth: 'basic' | 'body';
    pageSize: number;
    concurrency: number;
    refreshSkewSeconds: number;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** A fixed, obviously-not-real client id so the sandbox sends the header ConnectWise requires. */
export const SANDBOX_CW_CLIENT_ID = '00000000-0000-4000-8000-00000000cafe';

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const dto = plainToInstance(Env, { ...env });
  // One line per bad variable: the type check says more than the range checks that follow from it.
  const problems = validateSync(dto, { forbidUnknownValues: false }).map((e) => {
    const constraints = e.constraints ?? {};
    const message = constraints.isInt ?? Object.values(constraints)[0];
    return `${e.property}: ${message.replace(/^[A-Z_]+ /, '')}`;
  });
  const liveConfigured = Boolean(dto.PUBLIC_URL || dto.CW_CLIENT_ID);
  const sandbox =
    dto.SANDBOX === '1' || dto.SANDBOX === 'true' || (!liveConfigured && dto.SANDBOX === undefined);
  if (!sandbox) {
    for (const name of ['PUBLIC_URL', 'CW_CLIENT_ID', 'APP_ENCRYPTION_KEY'] as const)
      if (!dto[name]) problems.push(`${name}: required in live mode (or set SANDBOX=1)`);
  }
  if (problems.length) throw new ConfigError(problems);

  const dataDir = path.resolve(dto.DATA_DIR ?? './data');
  const authBaseUrl = (dto.APPRIVER_AUTH_BASE_URL ?? 'https://unityapi.webrootcloudav.com').replace(
    /\/$/,
    '',
  );
  return {
    port: dto.PORT ?? 3000,
    host: dto.HOST ?? '0.0.0.0',
    dataDir,
    database: dto.DATABASE_URL
      ? { type: 'mysql', url: dto.DATABASE_URL }
      : { type: 'sqlite', file: path.join(dataDir, 'appriver-reconcile.sqlite') },
    sandbox,
    sandboxWorld: path.resolve(dto.SANDBOX_WORLD ?? DEMO_WORLD),
    sandboxPersist: !['0', 'false'].includes(dto.SANDBOX_PERSIST ?? '1'),
    publicUrl: dto.PUBLIC_URL?.replace(/\/$/, '') ?? null,
    encryptionKey: dto.APP_ENCRYPTION_KEY ?? null,
    logLevel: (dto.LOG_LEVEL as AppConfig['logLevel']) ?? 'info',
    jobsEnabled: dto.JOBS_DISABLED !== 'true',
    connectwise: {
      clientId: dto.CW_CLIENT_ID ?? SANDBOX_CW_CLIENT_ID,
      allowedOrigins: (dto.CW_ALLOWED_ORIGINS ?? CONNECTWISE_ORIGINS)
        .split(',')
        .map((o) => o.trim().replace(/\/$/, ''))
        .filter(Boolean),
      apiVersion: dto.CW_API_VERSION ?? '2022.1',
      concurrency: dto.CW_CONCURRENCY ?? 4,
    },
    appriver: {
      authBaseUrl,
      authorizePath: dto.APPRIVER_AUTHORIZE_PATH ?? '/auth/authorize',
      tokenPath: dto.APPRIVER_TOKEN_PATH ?? '/auth/token',
      apiBaseUrl: (dto.APPRIVER_API_BASE_URL ?? `${authBaseUrl}/service/api/securecloud`).replace(/\/$/, ''),
      scope: dto.APPRIVER_SCOPE ?? 'SecureCloud.Platform',
      clientAuth: (dto.APPRIVER_CLIENT_AUTH as 'basic' | 'body') ?? 'basic',
      pageSize: dto.APPRIVER_PAGE_SIZE ?? 100,
      concurrency: dto.APPRIVER_CONCURRENCY ?? 2,
      refreshSkewSeconds: dto.APPRIVER_REFRESH_SKEW_SECONDS ?? 60,
    },
  };
}

export const APP_CONFIG = Symbol('APP_CONFIG');
