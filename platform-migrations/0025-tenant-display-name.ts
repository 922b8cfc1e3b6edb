import type { Knex } from 'knex';

/**
 * The workspace's display name (set by its admins in its own settings), copied here so lists
 * and mails outside the workspace (the switcher, invitations) show the one name its people know.
 * Empty: the name the super admin gave.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.string('display_name', 200).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.dropColumn('display_name');
  });
}
