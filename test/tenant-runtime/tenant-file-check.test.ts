import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import BetterSqlite3 from 'better-sqlite3';
import { checkIntegrity, inspectTenantFile, leaveWalInHeader, schemaProblem } from '../../tenant-runtime/tenant-file-check';
import { anotherProcessGetsItAlone } from '../support/file-lock-probe';

describe('tenant file checks', () => {
  let dir: string;
  let sound: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-check-'));
    sound = path.join(dir, 'sound.sqlite');
    const db = new BetterSqlite3(sound);
    db.exec("create table tenant_migrations (name text primary key, applied_at integer); insert into tenant_migrations values ('0001-x', 1)");
    db.exec('create table notes (id integer primary key, body text); create index notes_body on notes (body)');
    const insert = db.prepare('insert into notes (body) values (?)');
    db.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run(crypto.randomBytes(40).toString('hex'));
    })();
    db.close();
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const copy = (name: string, change: (file: string) => void) => {
    const file = path.join(dir, name);
    fs.copyFileSync(sound, file);
    change(file);
    return file;
  };

  it('finds nothing wrong with a sound tenant file', () => {
    expect(inspectTenantFile(sound)).toBeUndefined();
    const db = new BetterSqlite3(sound);
    expect(schemaProblem(db)).toBeUndefined();
    expect(checkIntegrity(db, true)).toBeUndefined();
    db.close();
  });

  it.each([
    ['missing', (f: string) => fs.rmSync(f), 'the database file is missing'],
    ['empty', (f: string) => fs.truncateSync(f, 0), 'the database file is empty (0 bytes)'],
    ['garbage', (f: string) => fs.writeFileSync(f, crypto.randomBytes(8192)), 'the file is not a database (no SQLite header)'],
    ['truncated', (f: string) => fs.truncateSync(f, 4096 * 3), 'the database file is truncated'],
  ])('calls the %s file damaged without opening it', (name, change, reason) => {
    const file = copy(`${name}.sqlite`, change);
    expect(inspectTenantFile(file)).toContain(reason);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('leaves alone the locks SQLite holds on a file in use in this process', () => {
    const db = new BetterSqlite3(sound);
    try {
      db.pragma('journal_mode = WAL');
      db.prepare('select count(*) from notes').get();
      expect(anotherProcessGetsItAlone(sound)).toBe(false);

      expect(inspectTenantFile(sound)).toBeUndefined();
      expect(anotherProcessGetsItAlone(sound)).toBe(false);

      // What a descriptor of our own on the file does when it is closed: the process's locks are gone.
      fs.closeSync(fs.openSync(sound, 'r'));
      expect(anotherProcessGetsItAlone(sound)).toBe(true);
    } finally {
      db.close();
    }
  });

  it('calls a database without a tenant schema damaged, never behind', () => {
    const file = path.join(dir, 'blank.sqlite');
    const db = new BetterSqlite3(file);
    db.exec('create table something (id integer)');
    expect(schemaProblem(db)).toBe('the database holds no tenant schema (no migration table)');
    db.exec('create table tenant_migrations (name text primary key, applied_at integer)');
    expect(schemaProblem(db)).toBe('the database holds no tenant schema (no migration recorded)');
    db.close();
  });

  it('finds a corrupted page with quick_check', () => {
    const file = copy('corrupt.sqlite', (f) => {
      const fd = fs.openSync(f, 'r+');
      fs.writeSync(fd, crypto.randomBytes(4096), 0, 4096, 4096 * 4);
      fs.closeSync(fd);
    });
    expect(inspectTenantFile(file)).toBeUndefined();
    const db = new BetterSqlite3(file);
    expect(checkIntegrity(db) ?? schemaProblem(db)).toBeDefined();
    db.close();
  });
});

describe('a WAL file made a rollback file in its header (staging)', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tenantry-header-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A checkpointed WAL-mode file with one row, closed (so no -wal is left beside it). */
  const walFile = (name = 'wal.sqlite') => {
    const file = path.join(dir, name);
    const db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.exec("create table notes (body text); insert into notes values ('kept')");
    db.close();
    return file;
  };
  const versions = (file: string) => [...fs.readFileSync(file).subarray(18, 20)];

  it('switches versions 2 to 1, and SQLite then opens it in rollback mode with its rows and creates no -wal or -shm', () => {
    const file = walFile();
    expect(versions(file)).toEqual([2, 2]);
    expect(leaveWalInHeader(file)).toBe(true);
    expect(versions(file)).toEqual([1, 1]);
    const db = new BetterSqlite3(file);
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
      expect(db.prepare('select body from notes').all()).toEqual([{ body: 'kept' }]);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(fs.readdirSync(dir)).toEqual(['wal.sqlite']);
    } finally {
      db.close();
    }
  });

  it('leaves a file with a -wal beside it, a rollback file and a file that is not a database as they are', () => {
    const withWal = walFile('open.sqlite');
    const holder = new BetterSqlite3(withWal);
    holder.exec("insert into notes values ('in the wal')");
    try {
      expect(fs.existsSync(`${withWal}-wal`)).toBe(true);
      expect(leaveWalInHeader(withWal)).toBe(false);
      expect(versions(withWal)).toEqual([2, 2]);
    } finally {
      holder.close();
    }
    const rollback = path.join(dir, 'rollback.sqlite');
    const made = new BetterSqlite3(rollback);
    made.exec('create table t (x)');
    made.close();
    const before = fs.readFileSync(rollback);
    expect(leaveWalInHeader(rollback)).toBe(false);
    expect(fs.readFileSync(rollback).equals(before)).toBe(true);
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'not a database at all, but long enough to have twenty bytes');
    expect(leaveWalInHeader(text)).toBe(false);
    expect(fs.readFileSync(text, 'utf8')).toBe('not a database at all, but long enough to have twenty bytes');
  });
});
