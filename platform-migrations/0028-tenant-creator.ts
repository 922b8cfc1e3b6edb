import type { Knex } from 'knex';

/**
 * Who made a tenant and how: a super admin in the console, the CLI (no user), or a signed-in
 * user creating a workspace of their own (self-service). Older tenants keep nulls: unknown. No
 * foreign key: a deleted user's tenants keep the id, and pages show the creator as unknown.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.string('created_by', 32).nullable();
    t.boolean('self_service').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.dropColumn('self_service');
    t.dropColumn('created_by');
  });
}
