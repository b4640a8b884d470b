// `npm run migration:run` / `migration:revert`: the same migrations the app applies at boot.
import 'reflect-metadata';
import { loadConfig } from '../config/config';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source';

async function main(command: string | undefined) {
  const config = loadConfig();
  const ds = await new DataSource(dataSourceOptions(config.database)).initialize();
  try {
    if (command === 'run') {
      const done = await ds.runMigrations({ transaction: 'each' });
      console.log(done.length ? `Applied: ${done.map((m) => m.name).join(', ')}` : 'Nothing to apply.');
    } else if (command === 'revert') {
      await ds.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration.');
    } else {
      throw new Error('Usage: migrate.js run|revert');
    }
  } finally {
    await ds.destroy();
  }
}

main(process.argv[2]).catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
