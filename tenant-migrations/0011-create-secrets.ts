import type { Knex } from 'knex';

/**
 * A tenant's secrets (API keys for its tools), sealed with AES-256-GCM under the deployment's
 * SECRETS_KEY. `key_id` names the key that sealed each value, so a rotation can tell what is
 * left to re-encrypt. `hint` is the masked form shown in lists (e.g. "sk-…abcd"), kept in
 * clear so listing never decrypts anything.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('secrets', (t) => {
    t.string('name', 64).primary();
    t.binary('ciphertext').notNullable();
    t.binary('iv').notNullable();
    t.binary('auth_tag').notNullable();
    t.string('key_id', 32).notNullable();
    t.string('hint', 40).notNullable();
    t.string('updated_by', 32).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('updated_at').notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('secrets');
}
