import type { Knex } from 'knex';

/**
 * A custom role's revision: 1 when made, raised by each change of its name, description, parent or
 * permissions. Its edit form sends back the one it showed and its API takes it as an optional
 * field, so a change made on an older one is refused instead of writing back what someone changed
 * meanwhile (docs/decisions/048-stale-revisions.md).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('roles', (t) => {
    t.integer('revision').notNullable().defaultTo(1);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('roles', (t) => {
    t.dropColumn('revision');
  });
}
