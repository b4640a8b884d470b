import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { createApp, listen } from '../../src/app';
import { AppConfig, loadConfig } from '../../src/config/config';
import { World } from '../../src/sandbox/world';
import { DEMO_WORLD } from '../../src/config/paths';
import { freshMysqlUrl } from './mysql';

export interface TestApp {
  app: NestExpressApplication;
  url: string;
  config: AppConfig;
  dataDir: string;
  close(): Promise<void>;
}

/** The whole app in sandbox mode on a fresh SQLite file, listening on a free port (real HTTP end to end). */
export async function startTestApp(
  options: { world?: World; env?: Record<string, string>; dataDir?: string } = {},
): Promise<TestApp> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'arr-test-'));
  let worldFile = DEMO_WORLD;
  if (options.world) {
    worldFile = path.join(dataDir, 'world.json');
    fs.writeFileSync(worldFile, JSON.stringify(options.world));
  }
  const config = loadConfig({
    SANDBOX: '1',
    DATA_DIR: dataDir,
    SANDBOX_WORLD: worldFile,
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    JOBS_DISABLED: 'true',
    SANDBOX_PERSIST: '0',
    ...(process.env.TEST_DATABASE_URL ? { DATABASE_URL: await freshMysqlUrl(`arr_e2e_${process.pid}`) } : {}),
    ...options.env,
  });
  const app = await createApp(config);
  const url = await listen(app, config, 0);
  return {
    app,
    url,
    config,
    dataDir,
    close: async () => {
      await app.close();
      if (!options.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function demoWorld(): World {
  return JSON.parse(fs.readFileSync(DEMO_WORLD, 'utf8'));
}
