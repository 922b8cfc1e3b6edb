import type { Knex } from 'knex';

/**
 * The language a person chose for themselves. Empty: each workspace's own language (and, outside
 * a workspace, the browser's preference).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.string('language', 8).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('language');
  });
}
