import type { Knex } from 'knex';

/**
 * What `tenantry demo` made (its tenant and its users), so `--reset` and the developer sign-in
 * touch only those, never a real tenant or account that happens to share a slug or address.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('demo_fixtures', (t) => {
    // tenant | user | slug (a demo tenant being provisioned, before its id is known)
    t.string('kind', 16).notNullable();
    t.string('id', 40).notNullable();
    t.string('label', 64).notNullable().defaultTo('');
    t.bigInteger('created_at').notNullable();
    t.primary(['kind', 'id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('demo_fixtures');
}
