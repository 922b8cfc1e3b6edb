import type { Knex } from 'knex';

/**
 * API tokens (docs/decisions/023-api-tokens.md). Only a token's SHA-256 is stored; its prefix
 * and last characters (`hint`) are kept to name it in lists and logs. A personal token acts as
 * its user (optionally in one tenant only); a service token belongs to its tenant. Scopes are a
 * JSON array of permissions. Revoked tokens keep their row, as the record of what existed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('api_tokens', (t) => {
    t.string('id', 32).primary();
    // personal | service
    t.string('kind', 16).notNullable();
    t.string('name', 100).notNullable();
    // Personal: the user it acts as (the token goes with them). Service: who created it (kept as a record).
    t.string('user_id', 32).nullable().references('users.id').onDelete('CASCADE');
    t.string('created_by', 32).nullable().references('users.id').onDelete('SET NULL');
    t.string('tenant_id', 32).nullable().references('tenants.id').onDelete('CASCADE');
    t.text('scopes').notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.string('hint', 24).notNullable();
    t.bigInteger('expires_at').nullable();
    t.bigInteger('last_used_at').nullable();
    t.string('last_used_ip', 64).nullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('revoked_at').nullable();
    t.string('revoked_by', 32).nullable();
    t.index(['user_id']);
    t.index(['tenant_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('api_tokens');
}
