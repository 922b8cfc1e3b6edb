import type { Knex } from 'knex';
import { createIdempotencyTable } from '../core/db/idempotency-table';

/** Idempotency keys of the API's POSTs outside a tenant (the super-admin API), kept 24 hours. */
export async function up(knex: Knex): Promise<void> {
  await createIdempotencyTable(knex);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('idempotency_keys');
}
