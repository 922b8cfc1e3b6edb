import type { Knex } from 'knex';

/**
 * The process running a backup run: a run still marked running whose process is gone (killed,
 * crashed) is known as interrupted at once (server start-up, `tenantry doctor --fix`, the
 * console), not only when the next run of its trigger starts, and a run of another process that
 * is alive is never taken for one cut off. Runs recorded before have none: their process is gone.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('backup_runs', (t) => {
    t.integer('pid').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('backup_runs', (t) => {
    t.dropColumn('pid');
  });
}
