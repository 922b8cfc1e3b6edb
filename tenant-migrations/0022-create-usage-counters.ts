import type { Knex } from 'knex';

/**
 * What the workspace's actions count, per UTC day (YYYY-MM-DD) and per member where a limit is
 * per member ('' otherwise): a month's use is the sum of its days. Metric names:
 * USAGE_METRICS in tenant-runtime/plan-catalogue.ts. Written by the action's own transaction.
 */
export async function up(knex: Knex): Promise<void> {
  // WITHOUT ROWID (SQLite only, ignored elsewhere): the rows are found by their primary key alone.
  await knex.schema.raw(
    `create table usage_counters (
       metric text not null,
       day text not null,
       user_id text not null default '',
       value integer not null default 0,
       primary key (metric, day, user_id)
     ) without rowid`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('usage_counters');
}
