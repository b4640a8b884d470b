import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths';

export interface AppProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  kill(signal?: NodeJS.Signals): Promise<void>;
}

/**
 * The real app as its own process (sandbox, given DATA_DIR), for tests that kill it mid-work. `built` runs the
 * compiled dist/ as production does (no ts-node in memory), for measuring the app's own footprint.
 */
export async function spawnApp(
  dataDir: string,
  env: Record<string, string> = {},
  { built = false } = {},
): Promise<AppProcess> {
  const entry = built
    ? [path.join(PROJECT_ROOT, 'dist/src/main.js')]
    : ['-r', 'ts-node/register/transpile-only', path.join(PROJECT_ROOT, 'src/main.ts')];
  if (built && !fs.existsSync(entry[0])) throw new Error(`${entry[0]} is missing: run npm run build first`);
  const child = spawn(process.execPath, entry, {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      SANDBOX: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      JOBS_DISABLED: 'true',
      LOG_LEVEL: 'warn',
      SANDBOX_PERSIST: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`app did not start:\n${out}`)), 60000);
    child.stdout!.on('data', () => {
      const m = /open (http:\/\/\S+)\/sandbox/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace('localhost', '127.0.0.1'));
      }
    });
    child.on('exit', (code) => reject(new Error(`app exited with ${code}:\n${out}`)));
  });
  return {
    url,
    child,
    output: () => out,
    kill: (signal = 'SIGKILL') =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      }),
  };
}
