import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { sqlBuilder } from '../../../core/db/sql-builder';

describe('sqlBuilder transactions', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-sql-builder-'));
    file = path.join(dir, 'db.sqlite');
    const setup = new BetterSqlite3(file);
    setup.pragma('journal_mode = WAL');
    setup.exec('create table t (x integer)');
    setup.close();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('hold the write lock from their first statement, a read, so no other connection can write in between', async () => {
    const mine = new BetterSqlite3(file);
    const other = new BetterSqlite3(file);
    other.pragma('busy_timeout = 0');
    let otherWrite: string | undefined;
    try {
      await sqlBuilder.transaction(
        async (trx) => {
          await trx('t').count({ n: '*' });
          try {
            other.prepare('insert into t values (1)').run();
            otherWrite = 'committed';
          } catch (error) {
            otherWrite = (error as { code?: string }).code;
          }
          await trx('t').insert({ x: 2 });
        },
        { connection: mine },
      );
    } finally {
      mine.close();
      other.close();
    }
    expect(otherWrite).toBe('SQLITE_BUSY');
  });
});
