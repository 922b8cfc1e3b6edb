import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TenantDatabase, assertNoAttach } from '../../tenant-runtime/tenant-database';
import { AttachRefusedError } from '../../core/errors/app-errors';

describe('TenantDatabase', () => {
  let dir: string;
  let db: TenantDatabase;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-db-'));
    db = new TenantDatabase('t1', path.join(dir, 'tenant.sqlite'), { fileMustExist: false });
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('opens with WAL, NORMAL sync, foreign keys and a busy timeout', () => {
    const raw = db.connection();
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('synchronous', { simple: true })).toBe(1);
    expect(raw.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(raw.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it.each(["ATTACH DATABASE '/tmp/other.sqlite' AS other", "attach '/tmp/other.sqlite' as o", "/* hi */ AtTaCh DATABASE 'x' AS y"])('refuses %s', (sql) => {
    expect(() => db.prepare(sql)).toThrow(AttachRefusedError);
    expect(() => db.run(sql)).toThrow(AttachRefusedError);
  });

  it('does not mistake the word inside a string literal or identifier for ATTACH', () => {
    expect(() => assertNoAttach("select 'attach' as word")).not.toThrow();
    expect(() => assertNoAttach('select "attach" from t')).not.toThrow();
  });

  it('writes inside an immediate transaction and rolls back on error', () => {
    db.connection().exec('create table t (id integer primary key, v text not null)');
    expect(() =>
      db.write(() => {
        db.run('insert into t (v) values (?)', ['kept?']);
        db.run('insert into t (v) values (?)', [null]);
      }),
    ).toThrow();
    expect(db.get('select count(*) as n from t')).toEqual({ n: 0 });
  });
});
