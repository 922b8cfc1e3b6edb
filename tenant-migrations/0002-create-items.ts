import type { Knex } from 'knex';

/** Content items: the workspace's main records. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('items', (t) => {
    t.increments('id');
    t.string('title', 200).notNullable();
    t.text('body').notNullable().defaultTo('');
    t.string('created_by', 32).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('items');
}
