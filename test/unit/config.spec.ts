import * as fs from 'node:fs';
import * as path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config';

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('starts in sandbox mode on SQLite with no configuration at all', () => {
    const config = loadConfig({});
    expect(config.sandbox).toBe(true);
    expect(config.database.type).toBe('sqlite');
    expect(config.port).toBe(3000);
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.appriver.authBaseUrl).toBe('https://unityapi.webrootcloudav.com');
    expect(config.appriver.scope).toBe('SecureCloud.Platform');
  });

  it('honours PORT and DATA_DIR so instances can run side by side', () => {
    const config = loadConfig({ PORT: '4010', DATA_DIR: '/tmp/other' });
    expect(config.port).toBe(4010);
    expect((config.database as { file: string }).file).toBe('/tmp/other/appriver-reconcile.sqlite');
  });

  it('switches to MySQL with a mysql:// DATABASE_URL', () => {
    expect(loadConfig({ DATABASE_URL: 'mysql://app:pw@db:3306/reconcile' }).database).toEqual({
      type: 'mysql',
      url: 'mysql://app:pw@db:3306/reconcile',
    });
  });

  it.each([
    [{ DATABASE_URL: 'postgres://x@y/z' }, 'DATABASE_URL: must look like mysql://'],
    [{ APP_ENCRYPTION_KEY: 'short' }, 'APP_ENCRYPTION_KEY: must be 32 random bytes'],
    [{ PORT: 'eighty' }, 'PORT'],
    [{ APPRIVER_CLIENT_AUTH: 'header' }, 'APPRIVER_CLIENT_AUTH'],
    [{ APPRIVER_PAGE_SIZE: '5' }, 'APPRIVER_PAGE_SIZE'],
    [{ CW_CLIENT_ID: 'not-a-guid' }, 'CW_CLIENT_ID: must be the GUID'],
  ])('names the bad variable %j', (env, expected) => {
    expect(problems(env).join('\n')).toContain(expected);
  });

  it('lists every bad variable in one error', () => {
    expect(problems({ PORT: 'x', DATABASE_URL: 'sqlite:foo', APP_ENCRYPTION_KEY: 'nope' })).toHaveLength(3);
  });

  it('requires the live variables once live mode is asked for', () => {
    const listed = problems({ SANDBOX: '0' }).join('\n');
    expect(listed).toContain('PUBLIC_URL: required in live mode');
    expect(listed).toContain('CW_CLIENT_ID: required in live mode');
    expect(listed).toContain('APP_ENCRYPTION_KEY: required in live mode');
  });

  it('accepts every variable of .env.example as written there', () => {
    const example = fs.readFileSync(path.resolve(__dirname, '../../.env.example'), 'utf8');
    const env = Object.fromEntries(
      example
        .split('\n')
        .map((l) => l.replace(/^#\s*(?=[A-Z_]+=)/, ''))
        .filter((l) => /^[A-Z_]+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    expect(Object.keys(env).length).toBeGreaterThan(15);
    expect(problems(env)).toEqual([]);
    expect(loadConfig(env).sandbox).toBe(false);
  });
});
