import type { Knex } from 'knex';

/**
 * A copy of each workspace's language (the setting lives in the tenant's own file), so the pages
 * its members get while that file cannot be opened (a restore, a damage, a migration still to
 * run) speak it. Null: not known here; the router fills it in from the file on its next open.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.string('language', 8).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.dropColumn('language');
  });
}
