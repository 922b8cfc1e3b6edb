import knexFactory, { type Knex } from 'knex';
import type BetterSqlite3 from 'better-sqlite3';

// knex's better-sqlite3 dialect; subclassed so knex runs on a connection we already hold
// instead of opening a second one per tenant (fleet migrations open thousands of files).
const BetterSqliteClient = require('knex/lib/dialects/better-sqlite3') as new (config: Knex.Config) => object;

class BorrowedConnectionClient extends BetterSqliteClient {
  async acquireRawConnection(this: { config: { connection: { borrowed: BetterSqlite3.Database } } }) {
    return this.config.connection.borrowed;
  }
  // The owner of the connection closes it, never knex.
  async destroyRawConnection() {}
}

/** A knex instance (schema builder, query builder) that runs on an existing better-sqlite3 connection. */
export function borrowedKnex(db: BetterSqlite3.Database): Knex {
  return knexFactory({
    client: BorrowedConnectionClient as unknown as typeof knexFactory.Client,
    connection: { filename: db.name, borrowed: db } as unknown as Knex.Sqlite3ConnectionConfig,
    useNullAsDefault: true,
    pool: { min: 0, max: 1 },
  });
}

/** A knex used only to build SQL (never connected): `toSQL().toNative()` then run it on a handle. */
export const sqlBuilder: Knex = knexFactory({ client: 'better-sqlite3', useNullAsDefault: true });
