import type { Knex } from 'knex';

/**
 * A cheap "next due" hint per tenant for the publishing scheduler: it visits only tenants
 * whose hint has come, instead of opening every tenant file on every tick. The items
 * themselves stay in the tenant files; this holds one time per tenant, nothing else.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('tenant_schedule', (t) => {
    t.string('tenant_id', 32).primary().references('tenants.id').onDelete('CASCADE');
    t.bigInteger('next_due_at').notNullable();
    t.index(['next_due_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('tenant_schedule');
}
