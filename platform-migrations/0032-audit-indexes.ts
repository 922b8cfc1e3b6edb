import type { Knex } from 'knex';

/**
 * The platform's audit trail read newest first across every tenant (the console's /admin/audit
 * and its CSV): without an index starting with `created_at`, every page, and every batch of the
 * CSV, sorted the whole table (47 s for a CSV of 200,000 events, growing with the square of the
 * trail). A tenant's action filter lists the actions its trail holds: read from
 * (tenant_id, action) instead of every event of the tenant. The id, SQLite's rowid, ends every
 * index, so (created_at) orders by (created_at, id) as the pages do.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (t) => {
    t.index(['created_at'], 'audit_events_created_at_index');
    t.index(['tenant_id', 'action'], 'audit_events_tenant_id_action_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (t) => {
    t.dropIndex(['created_at'], 'audit_events_created_at_index');
    t.dropIndex(['tenant_id', 'action'], 'audit_events_tenant_id_action_index');
  });
}
