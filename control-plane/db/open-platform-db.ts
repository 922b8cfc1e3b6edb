import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type BetterSqlite3 from 'better-sqlite3';
import { loadMigrationSource, migrateInOneTransaction, type MigrateResult } from '../../core/db/migration-runner';

export const PLATFORM_MIGRATIONS_DIR = path.resolve(__dirname, '../../platform-migrations');
const PLATFORM_MIGRATION_TABLE = 'platform_migrations';

export interface PlatformDb {
  knex: Knex;
  /** The one better-sqlite3 connection behind knex, for prepared statements on hot paths. */
  raw: BetterSqlite3.Database;
  file: string;
  /** A prepared statement for this SQL, compiled once and reused (hot paths run these per request). */
  prepare(sql: string): BetterSqlite3.Statement;
  close(): Promise<void>;
}

/**
 * Opens data/platform.sqlite. The control plane uses a single connection (pool of one):
 * SQLite serialises writers anyway, and one connection lets hot-path reads use prepared
 * statements on the same handle knex writes through.
 */
export async function openPlatformDb(dataDir: string): Promise<PlatformDb> {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'platform.sqlite');
  let raw: BetterSqlite3.Database | undefined;
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      idleTimeoutMillis: Number.MAX_SAFE_INTEGER,
      afterCreate(conn: BetterSqlite3.Database, done: (err: Error | null, conn: BetterSqlite3.Database) => void) {
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        raw = conn;
        done(null, conn);
      },
    },
  });
  await knex.raw('select 1');
  if (!raw) throw new Error('platform connection was not created');
  const connection = raw;
  const statements = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let statement = statements.get(sql);
    if (!statement) {
      statement = connection.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
  const db: PlatformDb = { knex, raw, file, prepare, close: () => knex.destroy() };
  return db;
}

export async function migratePlatform(db: PlatformDb): Promise<MigrateResult> {
  return migrateInOneTransaction(db.knex, loadMigrationSource(PLATFORM_MIGRATIONS_DIR), PLATFORM_MIGRATION_TABLE);
}
