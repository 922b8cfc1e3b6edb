import type { Knex } from 'knex';

/**
 * An owner's request that their workspace be deleted, while it waits for a super admin
 * (decision 056): one row per tenant at most, so asking twice keeps one request. Withdrawn,
 * declined or ended by an archive, the row goes; the audit trail keeps what happened.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenant_deletion_requests', (t) => {
    t.string('tenant_id', 32).primary().references('tenants.id').onDelete('CASCADE');
    t.string('requested_by', 32).notNullable().references('users.id').onDelete('CASCADE');
    t.bigInteger('requested_at').notNullable();
    t.text('reason').nullable();
    t.index(['requested_by']);
    t.index(['requested_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tenant_deletion_requests');
}
