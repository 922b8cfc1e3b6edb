import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { checkDatabaseFile, snapshotDatabase } from '../../tenant-runtime/tenant-snapshot';
import { anotherProcessGetsItAlone } from '../support/file-lock-probe';

describe('a snapshot of a tenant database in use', () => {
  const MARKER = 'deleted-row-marker-';
  let dir: string;
  let live: string;
  let db: BetterSqlite3.Database;

  /** A WAL database held open, with rows in the file, rows only in its WAL, and a row deleted (its bytes left in a free page). */
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-snapshot-'));
    live = path.join(dir, 'tenant.sqlite');
    db = new BetterSqlite3(live);
    db.pragma('journal_mode = WAL');
    db.exec("create table tenant_migrations (name text primary key, applied_at integer); insert into tenant_migrations values ('0001-x', 1)");
    db.exec('create table notes (id integer primary key, body text)');
    const insert = db.prepare('insert into notes (body) values (?)');
    db.transaction(() => {
      for (let i = 0; i < 200; i++) insert.run(`note ${i}`);
    })();
    insert.run(MARKER.repeat(400));
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.prepare('delete from notes where body like ?').run(`${MARKER}%`);
    insert.run('only in the WAL');
  });
  afterEach(() => {
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const rows = (file: string) => {
    const copy = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      return (copy.prepare('select body from notes order by id').all() as Array<{ body: string }>).map((r) => r.body);
    } finally {
      copy.close();
    }
  };
  const holdsMarker = (file: string) => fs.readFileSync(file).includes(MARKER);

  it('copies every committed row, the WAL included, into a self-contained file', () => {
    const target = path.join(dir, 'copy.sqlite');
    snapshotDatabase(live, target);
    expect(checkDatabaseFile(target)).toEqual({ integrity: 'ok', migrations: ['0001-x'] });
    const copied = rows(target);
    expect(copied).toHaveLength(201);
    expect(copied.at(-1)).toBe('only in the WAL');
    // A rollback-journal file: reading it leaves no -wal or -shm beside it.
    expect([...fs.readFileSync(target).subarray(18, 20)]).toEqual([1, 1]);
    expect(fs.readdirSync(dir).filter((name) => name.startsWith('copy.sqlite-'))).toEqual([]);
  });

  it('leaves out what a transaction still open has written', () => {
    const writer = new BetterSqlite3(live);
    try {
      writer.exec('begin immediate');
      writer.prepare('insert into notes (body) values (?)').run('not committed');
      snapshotDatabase(live, path.join(dir, 'copy.sqlite'));
      writer.exec('commit');
    } finally {
      writer.close();
    }
    expect(rows(path.join(dir, 'copy.sqlite'))).not.toContain('not committed');
    expect(rows(live)).toContain('not committed');
  });

  it('holds live rows only: no byte of a row deleted before it', () => {
    expect(holdsMarker(live)).toBe(true);
    snapshotDatabase(live, path.join(dir, 'copy.sqlite'));
    expect(holdsMarker(path.join(dir, 'copy.sqlite'))).toBe(false);
  });

  it('leaves the live file, its WAL and the locks this process holds on it as they were', () => {
    const walBefore = fs.statSync(`${live}-wal`).size;
    expect(anotherProcessGetsItAlone(live)).toBe(false);
    snapshotDatabase(live, path.join(dir, 'copy.sqlite'));
    expect(anotherProcessGetsItAlone(live)).toBe(false);
    expect(fs.statSync(`${live}-wal`).size).toBe(walBefore);
    expect(db.prepare('select count(*) as n from notes').get()).toEqual({ n: 201 });
  });

  it('never writes over a file already at the target', () => {
    const target = path.join(dir, 'taken.sqlite');
    fs.writeFileSync(target, 'kept');
    expect(() => snapshotDatabase(live, target)).toThrow();
    expect(fs.readFileSync(target, 'utf8')).toBe('kept');
  });

  it('reports a file SQLite cannot read with its own error', () => {
    const garbage = path.join(dir, 'garbage.sqlite');
    fs.writeFileSync(garbage, Buffer.alloc(8192, 7));
    expect(() => snapshotDatabase(garbage, path.join(dir, 'out.sqlite'))).toThrow(expect.objectContaining({ code: 'SQLITE_NOTADB' }));
    expect(fs.existsSync(path.join(dir, 'out.sqlite'))).toBe(false);
  });
});
