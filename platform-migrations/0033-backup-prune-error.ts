import type { Knex } from 'knex';

/**
 * Why removing a tenant's older backups failed after its last backup was taken (that backup was
 * kept): its own column, apart from `last_error` (why the last backup itself failed), so neither
 * is read out of the other. Cleared by the next prune that succeeds and by a failed backup.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('backup_state', (t) => {
    t.text('last_prune_error').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('backup_state', (t) => {
    t.dropColumn('last_prune_error');
  });
}
