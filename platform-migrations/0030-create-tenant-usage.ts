import type { Knex } from 'knex';

/**
 * The usage roll-up (docs/decisions/032): what each tenant uses of each limit, copied from the
 * tenants' own files so the super admin's pages never open 10,000 files.
 * - `tenant_usage_scans`: one row per tenant, what the last roll-up saw (the stamp of its files
 *   and of the other inputs) and the highest percentage of any limit (the admin list's order).
 * - `tenant_usage`: per tenant and limit, the use, the limit and the percentage, with the
 *   period the use counts in ('' for a level such as members or storage).
 * - `tenant_usage_days`: per tenant and limit, one value a day for the charts (30 days kept).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenant_usage_scans', (t) => {
    t.string('tenant_id', 32).primary().references('tenants.id').onDelete('CASCADE');
    t.string('file_stamp', 200).notNullable();
    t.string('inputs_stamp', 2000).notNullable();
    t.string('day', 10).notNullable();
    t.float('max_percent');
    t.string('problem', 500);
    t.bigInteger('rolled_at').notNullable();
    t.index(['max_percent']);
  });
  await knex.schema.createTable('tenant_usage', (t) => {
    t.string('tenant_id', 32).notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('limit_key', 64).notNullable();
    t.bigInteger('used').notNullable();
    t.bigInteger('limit_value');
    t.float('percent');
    t.string('period', 10).notNullable().defaultTo('');
    t.primary(['tenant_id', 'limit_key']);
  });
  await knex.schema.createTable('tenant_usage_days', (t) => {
    t.string('tenant_id', 32).notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('limit_key', 64).notNullable();
    t.string('day', 10).notNullable();
    t.bigInteger('value').notNullable();
    t.primary(['tenant_id', 'limit_key', 'day']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tenant_usage_days');
  await knex.schema.dropTableIfExists('tenant_usage');
  await knex.schema.dropTableIfExists('tenant_usage_scans');
}
