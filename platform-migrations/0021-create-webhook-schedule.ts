import type { Knex } from 'knex';

/**
 * A "next delivery due" hint per tenant for the webhook dispatcher, as `tenant_schedule` is for
 * publishing: it visits only tenants whose hint has come. The deliveries themselves live in the
 * tenant's own file; this holds one time per tenant.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_schedule', (t) => {
    t.string('tenant_id', 32).primary().references('tenants.id').onDelete('CASCADE');
    t.bigInteger('next_due_at').notNullable();
    t.index(['next_due_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_schedule');
}
