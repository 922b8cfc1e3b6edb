import type { Knex } from 'knex';

/**
 * Outgoing webhooks (docs/decisions/025-webhooks.md): the tenant's endpoints (the signing secret
 * sealed with SECRETS_KEY), one delivery per event and endpoint (the persistent queue: pending
 * rows are due at `next_attempt_at`), and every attempt with its response code (the delivery log).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhook_endpoints', (t) => {
    t.string('id', 32).primary();
    t.string('url', 2000).notNullable();
    t.string('description', 200).notNullable().defaultTo('');
    t.text('events').notNullable();
    t.binary('secret_ciphertext').notNullable();
    t.binary('secret_iv').notNullable();
    t.binary('secret_tag').notNullable();
    t.string('secret_key_id', 32).notNullable();
    t.boolean('enabled').notNullable().defaultTo(true);
    t.string('disabled_reason', 200).nullable();
    // Deliveries that ran out of attempts since the endpoint last answered 2xx.
    t.integer('failed_deliveries').notNullable().defaultTo(0);
    t.string('created_by', 40).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.string('id', 40).primary();
    t.string('endpoint_id', 32).notNullable().references('webhook_endpoints.id').onDelete('CASCADE');
    t.string('event_type', 64).notNullable();
    t.text('payload').notNullable();
    // pending | delivered | failed
    t.string('state', 16).notNullable();
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_at').nullable();
    t.integer('last_status').nullable();
    t.string('last_error', 300).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('finished_at').nullable();
    t.index(['state', 'next_attempt_at']);
    t.index(['endpoint_id', 'created_at']);
  });
  await knex.schema.createTable('webhook_attempts', (t) => {
    t.increments('id');
    t.string('delivery_id', 40).notNullable().references('webhook_deliveries.id').onDelete('CASCADE');
    t.bigInteger('attempted_at').notNullable();
    t.integer('status').nullable();
    t.string('error', 300).nullable();
    t.integer('duration_ms').notNullable();
    t.index(['delivery_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_attempts');
  await knex.schema.dropTableIfExists('webhook_deliveries');
  await knex.schema.dropTableIfExists('webhook_endpoints');
}
