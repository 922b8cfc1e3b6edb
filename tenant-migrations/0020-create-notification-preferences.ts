import type { Knex } from 'knex';

/**
 * Which workflow mails each member of the workspace wants. A row only where someone turned a
 * kind off (or on again): no row means the default, on.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('notification_preferences', (t) => {
    t.string('user_id', 32).notNullable();
    t.string('kind', 40).notNullable();
    t.boolean('enabled').notNullable();
    t.bigInteger('updated_at').notNullable();
    t.primary(['user_id', 'kind']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('notification_preferences');
}
