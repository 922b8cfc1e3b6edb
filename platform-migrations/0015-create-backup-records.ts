import type { Knex } from 'knex';

/**
 * What the control plane knows of tenant backups. The backups themselves (database copy, files,
 * manifest) live on disk under BACKUP_DIR and are listed from there; these tables hold what a
 * schedule needs without opening 10,000 folders (each tenant's last backup and the fingerprint
 * of its files then, to skip tenants that did not change) and the runs' results for the console.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('backup_state', (t) => {
    t.string('tenant_id', 32).primary().references('tenants.id').onDelete('CASCADE');
    t.string('last_backup_id', 32).nullable();
    t.bigInteger('last_backup_at').nullable();
    t.bigInteger('last_backup_bytes').nullable();
    // size and time of the tenant's database, WAL and files folder when it was last backed up
    t.string('last_fingerprint', 200).nullable();
    t.bigInteger('last_attempt_at').nullable();
    t.text('last_error').nullable();
  });

  await knex.schema.createTable('backup_runs', (t) => {
    t.increments('id');
    // cli | schedule | console
    t.string('trigger', 16).notNullable();
    // running | succeeded | failed | interrupted
    t.string('status', 16).notNullable();
    t.integer('tenants').notNullable().defaultTo(0);
    t.integer('backed_up').notNullable().defaultTo(0);
    t.integer('unchanged').notNullable().defaultTo(0);
    t.integer('failed').notNullable().defaultTo(0);
    t.bigInteger('bytes').notNullable().defaultTo(0);
    t.bigInteger('started_at').notNullable();
    t.bigInteger('finished_at').nullable();
    t.index(['started_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('backup_runs');
  await knex.schema.dropTableIfExists('backup_state');
}
