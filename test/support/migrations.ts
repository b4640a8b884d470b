import { DataSource } from 'typeorm';
import { AppConfig } from '../../src/config/config';
import { dataSourceOptions } from '../../src/database/data-source';
import { MIGRATIONS } from '../../migrations';

/** Applies every migration up, checks the tables, then reverts every one: shared by the SQLite and MySQL suites. */
export async function migrateUpAndDown(
  database: AppConfig['database'],
): Promise<{ upTables: string[]; downTables: string[] }> {
  const ds = await new DataSource(dataSourceOptions(database)).initialize();
  try {
    await ds.runMigrations({ transaction: 'each' });
    const upTables = await tableNames(ds);
    for (let i = 0; i < MIGRATIONS.length; i++) await ds.undoLastMigration({ transaction: 'each' });
    return { upTables, downTables: await tableNames(ds) };
  } finally {
    await ds.destroy();
  }
}

async function tableNames(ds: DataSource): Promise<string[]> {
  const rows: Record<string, string>[] =
    ds.options.type === 'mysql'
      ? await ds.query('SHOW TABLES')
      : await ds.query("SELECT name FROM sqlite_master WHERE type = 'table'");
  return rows
    .map((r) => Object.values(r)[0])
    .filter((n) => n !== 'migrations' && !n.startsWith('sqlite_'))
    .sort();
}

export const EXPECTED_TABLES = [
  'account_mappings',
  'appriver_connections',
  'audit_events',
  'oauth_states',
  'service_mappings',
  'suggestions',
  'sync_runs',
  'tenants',
  'unmapped_items',
  'usage_lines',
  'vendor_accounts',
  'vendor_services',
  'vendor_subscriptions',
  'write_backs',
];
