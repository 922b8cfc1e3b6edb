import type { Knex } from 'knex';

/**
 * A "next workflow mail due" hint per tenant, as `webhook_schedule` is for webhook deliveries: the
 * mail dispatcher visits only tenants whose hint has come. `waiting_since` is when the oldest mail
 * still to send was queued, so `tenantry doctor` can name tenants whose mail waits too long
 * without opening their files. The mails themselves live in the tenant's own file.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('mail_schedule', (t) => {
    t.string('tenant_id', 32).primary().references('tenants.id').onDelete('CASCADE');
    t.bigInteger('next_due_at').notNullable();
    t.bigInteger('waiting_since').notNullable();
    t.index(['next_due_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('mail_schedule');
}
