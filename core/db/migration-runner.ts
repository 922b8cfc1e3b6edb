import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import type { UmzugStorage, RunnableMigration } from 'umzug';

type MigrationModule = { up: (knex: Knex) => Promise<void>; down?: (knex: Knex) => Promise<void> };

const MIGRATION_FILE = /^\d{4}-[a-z0-9-]+\.ts$/;

export interface MigrationSource {
  /** Ordered migration names (file names without extension). */
  /** The folder the migrations were loaded from (worker threads load it again by this path). */
  dir: string;
  names: string[];
  migrations: RunnableMigration<Knex>[];
  /** Changes whenever a migration file is added or edited: keys the tenant template. */
  fingerprint: string;
  latest: string | null;
}

const sourceCache = new Map<string, MigrationSource>();

/** Loads the migrations of one track (a folder of NNNN-name.ts files), in name order. */
export function loadMigrationSource(dir: string): MigrationSource {
  const cached = sourceCache.get(dir);
  if (cached) return cached;
  const files = fs
    .readdirSync(dir)
    .filter((f) => MIGRATION_FILE.test(f))
    .sort();
  const hash = crypto.createHash('sha256');
  const migrations = files.map((file): RunnableMigration<Knex> => {
    const full = path.join(dir, file);
    hash.update(file).update(fs.readFileSync(full));
    const name = file.replace(/\.ts$/, '');
    return {
      name,
      path: full,
      up: async ({ context }) => (require(full) as MigrationModule).up(context),
      down: async ({ context }) => (require(full) as MigrationModule).down?.(context),
    };
  });
  const source: MigrationSource = {
    dir,
    names: migrations.map((m) => m.name),
    migrations,
    fingerprint: hash.digest('hex').slice(0, 16),
    latest: migrations.length ? migrations[migrations.length - 1].name : null,
  };
  sourceCache.set(dir, source);
  return source;
}

/**
 * umzug's storage contract, kept in a table of the migrated database itself and read and written
 * with plain statements on its connection: they run inside the transaction knex opened on that
 * same connection. The table is made when missing (with the definition knex's schema builder
 * gave it before) and read once per run; the names are then kept as migrations are logged.
 */
export function connectionStorage(db: BetterSqlite3.Database, table: string): UmzugStorage<Knex> {
  let names: string[] | undefined;
  // Prepared on first use, once per run: a run that applies many migrations (a tenant provisioned
  // without the template) logs each with the same statement.
  let statements: { insert: BetterSqlite3.Statement; remove: BetterSqlite3.Statement } | undefined;
  const recorded = (): string[] => {
    if (names) return names;
    db.prepare(`create table if not exists \`${table}\` (\`name\` varchar(200), \`applied_at\` bigint not null, primary key (\`name\`))`).run();
    names = (db.prepare(`select name from \`${table}\` order by name`).all() as Array<{ name: string }>).map((r) => r.name);
    return names;
  };
  const prepared = () =>
    (statements ??= {
      insert: db.prepare(`insert into \`${table}\` (name, applied_at) values (?, ?)`),
      remove: db.prepare(`delete from \`${table}\` where name = ?`),
    });
  return {
    logMigration({ name }) {
      const list = recorded();
      prepared().insert.run(name, Date.now());
      names = [...list, name].sort();
      return Promise.resolve();
    },
    unlogMigration({ name }) {
      const list = recorded();
      prepared().remove.run(name);
      names = list.filter((n) => n !== name);
      return Promise.resolve();
    },
    executed() {
      return Promise.resolve([...recorded()]);
    },
  };
}

export interface MigrateResult {
  applied: string[];
  version: string | null;
}

/**
 * Applies every pending migration of a track inside one transaction: either all of them
 * land or none does, so a failing migration leaves the database at its previous version.
 * With the product's sqlBuilder the transaction begins IMMEDIATE (core/db/sql-builder.ts): it
 * holds the write lock from its first statement, so writers of other processes wait for it (and
 * it for them) instead of the migration failing half-way on a stale snapshot.
 * The transaction runs on `connection` (one knex, never connected itself, serves every tenant
 * file of a fleet migration); the migrations table is read and written on it with plain
 * statements (connectionStorage), which cost a fraction of a query through knex. `afterUp` runs
 * last, inside the transaction, with every migration name now recorded.
 *
 * Foreign keys are not enforced while the migrations run (SQLite's own procedure for changing a
 * table's definition): knex changes some columns (a column with a foreign key, a dropped column)
 * by copying the table and dropping the original, and a DROP TABLE under enforcement deletes
 * its rows first, which runs every ON DELETE CASCADE of the tables pointing at it (upgrading a
 * control plane through 0027 emptied memberships, invitations and tokens). The pragma is a no-op
 * inside a transaction, so it is switched off before BEGIN and back on after it ends; before the
 * commit, a migration that left rows pointing at nothing (more than the file held before) fails
 * and rolls back.
 */
export async function migrateInOneTransaction(
  knex: Knex,
  source: MigrationSource,
  table: string,
  connection: BetterSqlite3.Database,
  options: { afterUp?: (connection: BetterSqlite3.Database, executed: string[]) => void } = {},
): Promise<MigrateResult> {
  const enforced = connection.pragma('foreign_keys', { simple: true }) === 1;
  if (enforced) connection.pragma('foreign_keys = OFF');
  try {
    return await knex.transaction(
      async (trx) => {
        const storage = connectionStorage(connection, table);
        const recorded = new Set(await storage.executed({ context: trx }));
        const pending = source.names.some((name) => !recorded.has(name));
        // Counted before, so rows a file already held that way never fail its migrations; counted
        // again only when a migration ran.
        const danglingBefore = enforced && pending ? danglingReferences(connection) : 0;
        const applied = pending ? await applyPending(source, trx, storage) : [];
        if (enforced && applied.length > 0) {
          const dangling = danglingReferences(connection);
          if (dangling > danglingBefore) throw new Error(`the migrations left ${dangling - danglingBefore} row(s) whose foreign key names no row`);
        }
        const executed = await storage.executed({ context: trx });
        // In the same transaction: whatever afterUp records lands with the migrations or not at all.
        options.afterUp?.(connection, executed);
        return { applied, version: executed.length ? executed[executed.length - 1] : null };
      },
      { connection },
    );
  } finally {
    if (enforced) connection.pragma('foreign_keys = ON');
  }
}

/**
 * umzug is loaded here, when a migration is pending, and not before: with the command-line kit it
 * brings, it takes about 0.4 s to load, which every start and every command paid for nothing.
 */
async function applyPending(source: MigrationSource, trx: Knex.Transaction, storage: UmzugStorage<Knex>): Promise<string[]> {
  const { Umzug } = require('umzug') as typeof import('umzug');
  const umzug = new Umzug<Knex>({ migrations: source.migrations, context: () => trx, storage, logger: undefined });
  return (await umzug.up()).map((m) => m.name);
}

/** Rows whose foreign key names no row, in the whole file. */
function danglingReferences(connection: BetterSqlite3.Database): number {
  return (connection.pragma('foreign_key_check') as unknown[]).length;
}
