import type { Knex } from 'knex';

/**
 * One shape for the idempotency keys of both tracks (a tenant's file and the control plane), so
 * one store (core/http/idempotency-store.ts) serves both. A key is the client's, scoped to who
 * sent it (`principal`: a token or a user); `state` is `pending` while the first request runs.
 */
export async function createIdempotencyTable(knex: Knex): Promise<void> {
  await knex.schema.createTable('idempotency_keys', (t) => {
    t.string('principal', 40).notNullable();
    t.string('idem_key', 255).notNullable();
    t.string('fingerprint', 64).notNullable();
    t.string('state', 16).notNullable();
    t.integer('status').nullable();
    t.text('response').nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.primary(['principal', 'idem_key']);
    t.index(['expires_at']);
  });
}
