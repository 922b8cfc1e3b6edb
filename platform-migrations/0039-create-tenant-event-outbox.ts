import type { Knex } from 'knex';

/**
 * Control-plane facts a tenant's webhooks announce (a member joined or was removed, an invitation
 * accepted), kept with the change that made them, in its transaction, until they are queued in the
 * tenant's own file (control-plane/events/tenant-events.ts). A process killed in between leaves the
 * row; the next start queues it, once (the deliveries' ids come from the event's).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenant_event_outbox', (t) => {
    t.string('id', 40).primary();
    t.string('tenant_id', 32).notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('type', 64).notNullable();
    t.text('data').notNullable();
    t.bigInteger('created_at').notNullable();
    t.index(['tenant_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tenant_event_outbox');
}
