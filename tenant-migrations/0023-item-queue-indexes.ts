import type { Knex } from 'knex';

/**
 * The items a workspace reads by status or by planned time, in the order it shows them: without
 * these, each read found every item of the status (or, for the agenda, read every item) and
 * sorted them all before keeping a page (a temporary B-tree; 40-65 ms a read at 200,000 items,
 * growing with the workspace).
 * - (status): the items list filtered by a status, newest first (the id, SQLite's rowid, ends
 *   every index, so (status) is (status, id)).
 * - (status, updated_at): the dashboard's review queue, oldest change first.
 * - (status, created_by, updated_at): the dashboard's "changes requested on my items".
 * - (scheduled_at): the dashboard's agenda, the items planned in the next two weeks.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => {
    t.index(['status'], 'items_status_index');
    t.index(['status', 'updated_at'], 'items_status_updated_at_index');
    t.index(['status', 'created_by', 'updated_at'], 'items_status_created_by_updated_at_index');
    t.index(['scheduled_at'], 'items_scheduled_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('items', (t) => {
    t.dropIndex(['scheduled_at'], 'items_scheduled_at_index');
    t.dropIndex(['status', 'created_by', 'updated_at'], 'items_status_created_by_updated_at_index');
    t.dropIndex(['status', 'updated_at'], 'items_status_updated_at_index');
    t.dropIndex(['status'], 'items_status_index');
  });
}
