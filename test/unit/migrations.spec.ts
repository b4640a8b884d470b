import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EXPECTED_TABLES, migrateUpAndDown } from '../support/migrations';

describe('migrations on SQLite', () => {
  it('apply every migration up and revert every one down', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'arr-mig-'));
    const { upTables, downTables } = await migrateUpAndDown({
      type: 'sqlite',
      file: path.join(dir, 'm.sqlite'),
    });
    expect(upTables).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    expect(downTables).toEqual([]);
  });
});
