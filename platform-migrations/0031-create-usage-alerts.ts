import type { Knex } from 'knex';

/**
 * Usage alerts fired (docs/decisions/032): one row per tenant, limit, threshold (80, 100) and
 * period. The unique key is what makes a threshold fire once: the pass that inserts the row
 * sends the mail, any other pass (a restart, a second process) finds it there. `period` is the
 * day or month of a metered limit, and 'level' for a level limit while its use stays at or over
 * the threshold; when it drops below, the row's period becomes 'ended-<fired_at>' so that the
 * next crossing fires again. `mailed_at` stays null until the owners' mail went out.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('usage_alerts', (t) => {
    t.increments('id');
    t.string('tenant_id', 32).notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('limit_key', 64).notNullable();
    t.integer('threshold').notNullable();
    t.string('period', 40).notNullable();
    t.bigInteger('used').notNullable();
    t.bigInteger('limit_value').notNullable();
    t.bigInteger('fired_at').notNullable();
    t.bigInteger('mailed_at');
    t.unique(['tenant_id', 'limit_key', 'threshold', 'period']);
    t.index(['fired_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('usage_alerts');
}
