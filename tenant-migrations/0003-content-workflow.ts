import type { Knex } from 'knex';

/**
 * The content workflow: items gain a status, channel, schedule and revision; tags, comments,
 * approvals and history get their own tables. Existing items become drafts on no channel, so
 * rows written before this migration keep working (and so do inserts that name only the old
 * columns: every new column has a default or is nullable).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => {
    // draft | in_review | changes_requested | approved | scheduled | published | archived
    t.string('status', 20).notNullable().defaultTo('draft');
    t.string('channel', 50).notNullable().defaultTo('');
    t.bigInteger('scheduled_at').nullable();
    t.bigInteger('published_at').nullable();
    // Bumped by every content edit: approvals count for one revision only.
    t.integer('revision').notNullable().defaultTo(1);
    t.index(['status', 'scheduled_at']);
    t.index(['channel']);
    t.index(['title', 'scheduled_at']);
  });

  await knex.schema.createTable('item_tags', (t) => {
    t.integer('item_id').unsigned().notNullable().references('items.id').onDelete('CASCADE');
    t.string('tag', 40).notNullable();
    t.primary(['item_id', 'tag']);
    t.index(['tag']);
  });

  await knex.schema.createTable('item_comments', (t) => {
    t.increments('id');
    t.integer('item_id').unsigned().notNullable().references('items.id').onDelete('CASCADE');
    t.string('author_id', 32).nullable();
    t.string('author_name', 200).notNullable();
    t.text('body').notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['item_id', 'created_at']);
  });

  await knex.schema.createTable('item_approvals', (t) => {
    t.integer('item_id').unsigned().notNullable().references('items.id').onDelete('CASCADE');
    t.integer('revision').notNullable();
    t.string('approver_id', 32).notNullable();
    t.bigInteger('created_at').notNullable();
    t.primary(['item_id', 'revision', 'approver_id']);
  });

  await knex.schema.createTable('item_history', (t) => {
    t.increments('id');
    t.integer('item_id').unsigned().notNullable().references('items.id').onDelete('CASCADE');
    // create | edit | comment | import | submit | approve | ... (the transition's action)
    t.string('action', 30).notNullable();
    t.string('from_status', 20).nullable();
    t.string('to_status', 20).nullable();
    // null with actor_name 'scheduler' for background publishing
    t.string('actor_id', 32).nullable();
    t.string('actor_name', 200).notNullable();
    t.text('note').nullable();
    t.bigInteger('created_at').notNullable();
    t.index(['item_id', 'id']);
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['item_history', 'item_approvals', 'item_comments', 'item_tags']) await knex.schema.dropTableIfExists(table);
  await knex.schema.alterTable('items', (t) => {
    t.dropIndex(['status', 'scheduled_at']);
    t.dropIndex(['channel']);
    t.dropIndex(['title', 'scheduled_at']);
    t.dropColumns('status', 'channel', 'scheduled_at', 'published_at', 'revision');
  });
}
