import type { Knex } from 'knex';

/**
 * The console's audit trail filtered by action or by actor, newest first: the (action) index
 * found the events but left them to be sorted (a temporary B-tree over every match, 85-95 ms
 * for 20,000 events of one action, growing with the trail), and an actor had no index at all.
 * (action, created_at) replaces (action) and reads one action's events in order; (actor_user_id,
 * created_at) does the same for one actor. The id, SQLite's rowid, ends each.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (t) => {
    t.dropIndex(['action'], 'audit_events_action_index');
    t.index(['action', 'created_at'], 'audit_events_action_created_at_index');
    t.index(['actor_user_id', 'created_at'], 'audit_events_actor_user_id_created_at_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (t) => {
    t.dropIndex(['actor_user_id', 'created_at'], 'audit_events_actor_user_id_created_at_index');
    t.dropIndex(['action', 'created_at'], 'audit_events_action_created_at_index');
    t.index(['action'], 'audit_events_action_index');
  });
}
