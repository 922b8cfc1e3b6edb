import knexFactory, { type Knex } from 'knex';

interface KnexTransaction {
  begin(connection: unknown): Promise<unknown>;
  query(connection: unknown, sql: string): Promise<unknown>;
}

type KnexClientClass = new (config: Knex.Config) => { transaction(...args: unknown[]): KnexTransaction };

/** knex's better-sqlite3 client class, reached through an instance: knex exports no dialect classes. */
const BetterSqliteClient = knexFactory({ client: 'better-sqlite3', useNullAsDefault: true }).client.constructor as KnexClientClass;

/**
 * knex starts every SQLite transaction with a deferred `BEGIN`: the transaction takes a read
 * snapshot at its first read and asks for the write lock only at its first write. When another
 * connection commits in between, SQLite cannot upgrade the stale snapshot and fails at once
 * with SQLITE_BUSY_SNAPSHOT ("database is locked"), which no busy timeout retries. Migrations
 * read their storage table before they alter anything, so under live traffic they failed.
 * This client begins top-level transactions with `BEGIN IMMEDIATE`: the write lock is taken up
 * front, waiting up to the connection's busy_timeout for the writer ahead of it. Nested
 * transactions still use savepoints.
 */
class ImmediateTransactionClient extends BetterSqliteClient {
  override transaction(...args: unknown[]): KnexTransaction {
    const trx = super.transaction(...args);
    // begin() runs on a later tick (knex chains it after the transaction is built), so it can be replaced here.
    trx.begin = (connection) => trx.query(connection, 'BEGIN IMMEDIATE;');
    return trx;
  }
}

/**
 * A knex that never opens a connection of its own. It builds SQL (`toSQL().toNative()`, then run
 * on a tenant handle), and runs migrations in transactions on a connection passed in
 * (`transaction(fn, { connection })`), so one instance serves every tenant file. Its
 * transactions begin IMMEDIATE (see ImmediateTransactionClient).
 */
export const sqlBuilder: Knex = knexFactory({ client: ImmediateTransactionClient as unknown as typeof Knex.Client, useNullAsDefault: true });
