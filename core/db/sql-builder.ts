import knexFactory, { type Knex } from 'knex';

/**
 * A knex that never opens a connection of its own. It builds SQL (`toSQL().toNative()`, then run
 * on a tenant handle), and runs tenant migrations in transactions on a connection passed in
 * (`transaction(fn, { connection })`), so one instance serves every tenant file.
 */
export const sqlBuilder: Knex = knexFactory({ client: 'better-sqlite3', useNullAsDefault: true });
