import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { BOUND_LIMIT, BOUND_OFFSET, limitClause, withBoundLimit } from '../../../core/db/sql-limit';
import { sqlBuilder } from '../../../core/db/sql-builder';

describe('limitClause', () => {
  it('writes a whole number of rows into the SQL', () => {
    expect(limitClause(51)).toBe('limit 51');
    expect(limitClause(0)).toBe('limit 0');
  });

  it('refuses anything but a whole number of rows, so nothing else reaches the SQL', () => {
    for (const rows of [1.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53]) expect(() => limitClause(rows)).toThrow(RangeError);
  });
});

describe('a LIMIT and OFFSET bound through a cast', () => {
  const db = new BetterSqlite3(':memory:');
  beforeAll(() => {
    db.exec('create table t (id integer primary key)');
    const insert = db.prepare('insert into t (id) values (?)');
    for (let id = 1; id <= 10; id++) insert.run(id);
  });
  afterAll(() => db.close());

  it('reads the rows a bare parameter read, with one statement for every value', () => {
    const cast = db.prepare(`select id from t order by id ${BOUND_LIMIT} ${BOUND_OFFSET}`);
    const bare = db.prepare('select id from t order by id limit ? offset ?');
    for (const [limit, offset] of [
      [3, 0],
      [3, 8],
      [0, 2],
      [100, 4],
    ]) {
      expect(cast.all(limit, offset)).toEqual(bare.all(limit, offset));
    }
  });

  it('appends them to a knex query, which writes `limit ?` and `offset ?` itself', () => {
    const query = sqlBuilder('t').select('id').where('id', '>', 2).orderBy('id');
    expect(withBoundLimit(query.clone(), 2)).toEqual({
      sql: 'select `id` from `t` where `id` > ? order by `id` asc limit cast(? as integer)',
      bindings: [2, 2],
    });
    const { sql, bindings } = withBoundLimit(query.clone(), 2, 3);
    expect(sql).toBe('select `id` from `t` where `id` > ? order by `id` asc limit cast(? as integer) offset cast(? as integer)');
    expect(db.prepare(sql).all(bindings)).toEqual([{ id: 6 }, { id: 7 }]);
  });
});

describe('the source', () => {
  /** Every TypeScript file the product runs (request paths, the CLI, schedulers, migrations). */
  function productFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return productFiles(full);
      return entry.name.endsWith('.ts') ? [full] : [];
    });
  }

  it('binds no bare LIMIT or OFFSET anywhere, off the request paths too (decision 051)', () => {
    const root = path.resolve(__dirname, '../../..');
    const files = [
      ...['core', 'control-plane', 'workspace', 'tenant-runtime', 'app'].flatMap((dir) => productFiles(path.join(root, dir))),
      path.join(root, 'cli.ts'),
      path.join(root, 'server.ts'),
    ];
    const bare = files
      // The helper's own file names the forms it replaces; a ternary (`limit ? a : b`) is not SQL.
      .filter((file) => !file.endsWith(path.join('core', 'db', 'sql-limit.ts')))
      .filter((file) => /\b(?:limit|offset)\s+\?(?=\s*(?:[`'",)]|$|offset\b))|\.(?:limit|offset)\(/im.test(fs.readFileSync(file, 'utf8')))
      .map((file) => path.relative(root, file));
    expect(files.length).toBeGreaterThan(100);
    expect(bare).toEqual([]);
  });
});
