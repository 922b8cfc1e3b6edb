import type { Knex } from 'knex';

/**
 * Two-step sign-in (decision 060). `two_step_keys`: one row per account that turned it on or is
 * turning it on: the TOTP key sealed with SECRETS_KEY (AES-256-GCM, the user's id as its context,
 * never in clear), `enabled_at` null while the enrolment waits for its first code, and
 * `last_step` the time step of the last code accepted (a code is never accepted twice).
 * `two_step_recovery_codes`: the SHA-256 of each recovery code, each used once (used_at).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('two_step_keys', (t) => {
    t.string('user_id', 32).primary().references('users.id').onDelete('CASCADE');
    t.binary('ciphertext').notNullable();
    t.binary('iv').notNullable();
    t.binary('auth_tag').notNullable();
    t.string('key_id', 16).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('enabled_at').nullable();
    t.bigInteger('last_step').notNullable().defaultTo(0);
  });
  await knex.schema.createTable('two_step_recovery_codes', (t) => {
    t.increments('id');
    t.string('user_id', 32).notNullable().references('users.id').onDelete('CASCADE');
    t.string('code_hash', 64).notNullable().unique();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('used_at').nullable();
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('two_step_recovery_codes');
  await knex.schema.dropTableIfExists('two_step_keys');
}
