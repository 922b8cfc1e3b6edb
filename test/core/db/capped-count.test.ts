import BetterSqlite3 from 'better-sqlite3';
import { SqliteHandle } from '../../../core/db/sqlite-handle';
import { countUpTo, pageCount } from '../../../core/db/capped-count';
import { sqlBuilder } from '../../../core/db/sql-builder';

describe('a count up to a cap', () => {
  const handle = new SqliteHandle(new BetterSqlite3(':memory:'));
  beforeAll(() => {
    handle.connection().exec('create table t (id integer primary key, kind text)');
    const insert = handle.connection().prepare('insert into t (kind) values (?)');
    for (let i = 1; i <= 20; i++) insert.run(i % 2 ? 'odd' : 'even');
  });
  afterAll(() => handle.connection().close());

  it('counts every match when there are no more than the cap', () => {
    expect(countUpTo(handle, sqlBuilder('t').where('kind', 'odd'), 10)).toEqual({ count: 10, more: false });
    expect(countUpTo(handle, sqlBuilder('t').where('kind', 'none'), 10)).toEqual({ count: 0, more: false });
  });

  it('stops one row past the cap and says there are more, reading at most that many rows', () => {
    const prepare = jest.spyOn(handle, 'prepare');
    const counted = countUpTo(handle, sqlBuilder('t').where('kind', 'odd'), 4);
    const sql = prepare.mock.calls[0][0];
    prepare.mockRestore();

    expect(counted).toEqual({ count: 4, more: true });
    expect(sql).toMatch(/limit 5\)$/);
  });

  it('counts a whole table exactly, past the cap, from its index without stepping through its rows', () => {
    const prepare = jest.spyOn(handle, 'prepare');
    const counted = countUpTo(handle, sqlBuilder('t'), 4, true);
    const sql = prepare.mock.calls[0][0];
    prepare.mockRestore();

    expect(counted).toEqual({ count: 20, more: false });
    const program = (handle.connection().prepare(`explain ${sql}`).all() as Array<{ opcode: string }>).map((r) => r.opcode);
    expect(program).toContain('Count');
    expect(program).not.toContain('Next');
  });

  it('gives the pages of a whole count, and none when the count stopped at its cap', () => {
    expect(pageCount({ count: 0, more: false }, 25)).toBe(1);
    expect(pageCount({ count: 26, more: false }, 25)).toBe(2);
    expect(pageCount({ count: 10_000, more: true }, 25)).toBeUndefined();
  });
});
