import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TenantDatabase, assertNoAttach, stripLiterals } from '../../tenant-runtime/tenant-database';
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

  it('checks SQL without the word attach (a query on attachments, say) without rewriting its text, as each new connection compiles it again', () => {
    const rewrite = jest.spyOn(String.prototype, 'replace');
    try {
      assertNoAttach('select id, original_name from attachments where item_id = ? order by created_at');
      expect(rewrite).not.toHaveBeenCalled();
    } finally {
      rewrite.mockRestore();
    }
  });

  it('refuses exactly what a check of the text with its literals and comments taken out refuses', () => {
    const parts = ['attach', 'ATTACH', 'attachments', 'x', ' ', "'", '"', '`', '[', ']', '--', '\n', '/*', '*/', 'database', "''"];
    const outcome = (sql: string) => {
      try {
        assertNoAttach(sql);
        return 'allowed';
      } catch {
        return 'refused';
      }
    };
    const differing: string[] = [];
    for (const a of parts)
      for (const b of parts)
        for (const c of parts) {
          const sql = a + b + c + b + a;
          if (outcome(sql) !== (/\battach\b/i.test(stripLiterals(sql)) ? 'refused' : 'allowed')) differing.push(sql);
        }
    expect(differing).toEqual([]);
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

describe('a staged tenant file', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-staged-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = () => path.join(dir, 'tenant.sqlite');

  it('is written with a journal in memory: nothing but the file itself in its folder', () => {
    const db = new TenantDatabase('t1', file(), { fileMustExist: false, pragmas: 'staging' });
    try {
      expect(db.connection().pragma('journal_mode', { simple: true })).toBe('memory');
      db.write(() => {
        db.run('create table notes (id integer primary key, body text not null)');
        db.run("insert into notes (body) values ('first')");
      });
      expect(fs.readdirSync(dir)).toEqual(['tenant.sqlite']);
    } finally {
      db.close();
    }
  });

  it('is sealed as a WAL file: closed, with no -wal or -shm left, and opened in WAL mode with its rows', () => {
    const db = new TenantDatabase('t1', file(), { fileMustExist: false, pragmas: 'staging' });
    db.write(() => {
      db.run('create table notes (id integer primary key, body text not null)');
      db.run("insert into notes (body) values ('kept')");
    });
    db.sealStagedFile();
    expect(db.isOpen).toBe(false);
    expect(fs.readdirSync(dir)).toEqual(['tenant.sqlite']);
    // Bytes 18 and 19 of the header: 2 is WAL.
    expect([...fs.readFileSync(file()).subarray(18, 20)]).toEqual([2, 2]);
    const reopened = new TenantDatabase('t1', file());
    try {
      expect(reopened.connection().pragma('journal_mode', { simple: true })).toBe('wal');
      expect(reopened.all('select body from notes')).toEqual([{ body: 'kept' }]);
      expect(reopened.connection().pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      reopened.close();
    }
  });
});
