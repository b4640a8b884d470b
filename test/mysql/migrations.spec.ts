import { EXPECTED_TABLES, migrateUpAndDown } from '../support/migrations';
import { freshMysqlUrl } from '../support/mysql';

describe('migrations on MySQL', () => {
  it('apply every migration up and revert every one down', async () => {
    const url = await freshMysqlUrl('arr_migrations');
    const { upTables, downTables } = await migrateUpAndDown({ type: 'mysql', url });
    expect(upTables).toEqual(expect.arrayContaining(EXPECTED_TABLES));
    expect(downTables).toEqual([]);
  });
});
