import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/config';
import { MIGRATIONS } from '../../migrations';
import { ENTITIES } from './entities';
import { SnakeNamingStrategy } from './naming.strategy';

export function dataSourceOptions(database: AppConfig['database']): DataSourceOptions {
  const common = {
    entities: ENTITIES,
    migrations: MIGRATIONS,
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    logging: false,
  };
  if (database.type === 'mysql') {
    return {
      ...common,
      type: 'mysql',
      url: database.url,
      timezone: 'Z',
      charset: 'utf8mb4',
      connectTimeout: 5000,
    };
  }
  fs.mkdirSync(path.dirname(database.file), { recursive: true });
  // WAL + busy timeout: the sync worker and page requests write from the same process without SQLITE_BUSY.
  // synchronous=NORMAL is the WAL setting SQLite recommends: a killed process loses nothing it committed (only
  // a power cut can lose the last commits), and each small write-back commit no longer waits for an fsync.
  return {
    ...common,
    type: 'better-sqlite3',
    database: database.file,
    prepareDatabase: (db: { pragma(s: string): unknown }) => {
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
    },
  };
}

/** Connects and applies pending migrations; a failure names the database and what went wrong. */
export async function openDatabase(database: AppConfig['database']): Promise<DataSource> {
  const ds = new DataSource(dataSourceOptions(database));
  try {
    await ds.initialize();
  } catch (error) {
    const where = database.type === 'mysql' ? safeMysqlTarget(database.url) : database.file;
    throw new Error(`Cannot open the ${database.type} database at ${where}: ${(error as Error).message}`);
  }
  await ds.runMigrations({ transaction: 'each' });
  return ds;
}

/** host:port/db of a mysql URL, without the credentials. */
export function safeMysqlTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 3306}${u.pathname}`;
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}
