import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../src/config/paths';

/** The real entry point, as `npm start` runs it: a bad start must end with a message a person can act on. */
function start(env: Record<string, string>) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'arr-start-'));
  const r = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', 'src/main.ts'], {
    cwd: PROJECT_ROOT,
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ...env },
    encoding: 'utf8',
    timeout: 60000,
  });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

describe('start-up checks', () => {
  it('stops on a DATABASE_URL that is not MySQL, naming the variable', () => {
    const r = start({ DATABASE_URL: 'postgres://u:p@db/x' });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('DATABASE_URL: must look like mysql://user:password@host:3306/database');
  });

  it('stops when MySQL cannot be reached, saying where without the password', () => {
    const r = start({ DATABASE_URL: 'mysql://app:s3cret@127.0.0.1:1/reconcile' });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('Cannot open the mysql database at 127.0.0.1:1/reconcile');
    expect(r.output).not.toContain('s3cret');
  });

  it('stops on a malformed APP_ENCRYPTION_KEY', () => {
    const r = start({ APP_ENCRYPTION_KEY: 'too-short' });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('APP_ENCRYPTION_KEY: must be 32 random bytes');
  });

  it('stops on a broken world, one line per problem with its JSON path', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arr-world-'));
    const world = JSON.parse(
      fs.readFileSync(path.join(PROJECT_ROOT, 'src/sandbox/worlds/demo.json'), 'utf8'),
    );
    world.connectwise.agreements[3].companyId = 999;
    world.connectwise.companies[0].colour = 'red';
    fs.writeFileSync(path.join(dir, 'w.json'), JSON.stringify(world));
    const r = start({ SANDBOX_WORLD: path.join(dir, 'w.json') });
    expect(r.code).not.toBe(0);
    expect(r.output).toContain('connectwise.companies[0].colour: unknown key');
    expect(r.output).toContain('connectwise.agreements[3].companyId: no company 999');
  });
});
