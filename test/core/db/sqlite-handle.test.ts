import BetterSqlite3 from 'better-sqlite3';
import { SqliteHandle } from '../../../core/db/sqlite-handle';

describe('SqliteHandle.afterCommit', () => {
  let handle: SqliteHandle;
  let told: string[];

  beforeEach(() => {
    const db = new BetterSqlite3(':memory:');
    db.pragma('foreign_keys = ON');
    db.exec(`create table parents (id integer primary key);
             create table children (id integer primary key, parent_id integer references parents(id) deferrable initially deferred);`);
    handle = new SqliteHandle(db);
    told = [];
  });
  afterEach(() => handle.close());

  const tell = (what: string) => handle.afterCommit(() => told.push(what));

  it('runs at once when no transaction is open', () => {
    tell('now');
    expect(told).toEqual(['now']);
  });

  it('runs once the outermost transaction has committed, not when a savepoint inside it ends', () => {
    handle.write(() => {
      handle.run('insert into parents (id) values (1)');
      handle.write(() => tell('inner'));
      expect(told).toEqual([]);
      tell('outer');
    });
    expect(told).toEqual(['inner', 'outer']);
  });

  it('never runs for a transaction that throws and rolls back', () => {
    expect(() =>
      handle.write(() => {
        tell('rolled back');
        throw new Error('after the step');
      }),
    ).toThrow('after the step');
    expect(told).toEqual([]);
    handle.write(() => tell('next'));
    expect(told).toEqual(['next']);
  });

  it('never runs for a transaction whose commit fails', () => {
    expect(() =>
      handle.write(() => {
        handle.run('insert into children (id, parent_id) values (1, 99)');
        tell('not committed');
      }),
    ).toThrow(/FOREIGN KEY/);
    expect(handle.inTransaction).toBe(false);
    expect(told).toEqual([]);
  });

  it('drops what a savepoint rolled back asked for, and keeps the rest of the transaction', () => {
    handle.write(() => {
      tell('before');
      expect(() =>
        handle.write(() => {
          tell('in the savepoint');
          throw new Error('refused');
        }),
      ).toThrow('refused');
      tell('after');
    });
    expect(told).toEqual(['before', 'after']);
  });

  it('runs every callback after a commit even when one fails, then throws the first failure', () => {
    expect(() =>
      handle.write(() => {
        handle.run('insert into parents (id) values (7)');
        handle.afterCommit(() => {
          throw new Error('control plane full');
        });
        tell('second');
      }),
    ).toThrow('control plane full');
    expect(told).toEqual(['second']);
    // The change itself is committed: only what was to follow it failed.
    expect(handle.get<{ n: number }>('select count(*) as n from parents')).toEqual({ n: 1 });
  });
});
