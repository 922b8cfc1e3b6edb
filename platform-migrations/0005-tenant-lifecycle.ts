import type { Knex } from 'knex';

/**
 * The tenant lifecycle: why and until when a tenant is in its status, who put it there, a file
 * operation in progress (so an interrupted archive, restore or purge is finished by the next
 * start), the owner a tenant being provisioned is meant to get, and every status change.
 *
 * A purged tenant's row stays as a tombstone (slug, dates, who), so the slug is unique among
 * tenants that are not purged only: a partial unique index (SQLite and PostgreSQL both have them).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('tenants', (t) => {
    t.dropUnique(['slug']);
  });
  await knex.schema.alterTable('tenants', (t) => {
    // Why an operator put the tenant in its status (suspension reason, archive note).
    t.text('status_reason').nullable();
    // Suspended until (it resumes by itself), or archived and restorable until (purged after).
    t.bigInteger('status_until').nullable();
    t.bigInteger('status_changed_at').nullable();
    t.string('status_changed_by', 32).nullable();
    // archive | restore | purge: a file operation started and not yet finished.
    t.string('pending_operation', 16).nullable();
    // The first owner of a tenant being provisioned, applied when it becomes active.
    t.string('pending_owner_email', 320).nullable();
  });
  await knex.schema.alterTable('tenants', (t) => {
    t.unique(['slug'], { indexName: 'tenants_live_slug_unique', predicate: knex.whereRaw("status <> 'purged'") });
    t.index(['status', 'slug'], 'tenants_status_slug_index');
    t.index(['name'], 'tenants_name_index');
    t.index(['created_at'], 'tenants_created_at_index');
  });

  await knex.schema.createTable('tenant_status_history', (t) => {
    t.increments('id');
    t.string('tenant_id', 32).notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('action', 32).notNullable();
    t.string('from_status', 16).nullable();
    t.string('to_status', 16).notNullable();
    t.text('reason').nullable();
    t.bigInteger('until').nullable();
    // null: the platform itself (a sweep, the router finding a damaged file) or the CLI.
    t.string('actor_user_id', 32).nullable();
    t.string('actor_label', 64).nullable();
    t.bigInteger('created_at').notNullable();
    t.index(['tenant_id', 'id']);
  });

  // Growth of the data on disk, sampled by the server (the dashboard compares samples).
  await knex.schema.createTable('disk_usage_samples', (t) => {
    t.increments('id');
    t.bigInteger('taken_at').notNullable();
    t.bigInteger('live_bytes').notNullable();
    t.bigInteger('archive_bytes').notNullable();
    t.integer('tenant_count').notNullable();
    t.index(['taken_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('disk_usage_samples');
  await knex.schema.dropTableIfExists('tenant_status_history');
  await knex.schema.alterTable('tenants', (t) => {
    t.dropIndex([], 'tenants_created_at_index');
    t.dropIndex([], 'tenants_name_index');
    t.dropIndex([], 'tenants_status_slug_index');
    t.dropUnique([], 'tenants_live_slug_unique');
  });
  await knex.schema.alterTable('tenants', (t) => {
    for (const column of ['status_reason', 'status_until', 'status_changed_at', 'status_changed_by', 'pending_operation', 'pending_owner_email'])
      t.dropColumn(column);
  });
  await knex.schema.alterTable('tenants', (t) => {
    t.unique(['slug']);
  });
}
