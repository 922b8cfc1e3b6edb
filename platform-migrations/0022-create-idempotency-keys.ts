import type { Knex } from 'knex';

/**
 * Idempotency keys of the API's POSTs outside a tenant (the super-admin API), kept 24 hours; the
 * same shape as a tenant's table (tenant migration 0018), served by core/http/idempotency-store.ts.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    // The token (or signed-in user) that sent the key: keys of different clients never meet.
    t.string('principal', 40).notNullable();
    t.string('idem_key', 255).notNullable();
    // SHA-256 of method, path and body: the same key with another request is refused.
    t.string('fingerprint', 64).notNullable();
    // pending while the first request runs, done once its answer is stored
    t.string('state', 16).notNullable();
    t.integer('status').nullable();
    t.text('response').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.primary(['principal', 'idem_key']);
    t.index(['expires_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('idempotency_keys');
}
