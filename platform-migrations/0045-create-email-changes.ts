import type { Knex } from 'knex';

/**
 * A person's request to change their email address, waiting for the link mailed to the new
 * address (decision 059): only the SHA-256 of the link's token is stored; a link works once
 * (used_at) and until expires_at, like a password reset link (0012).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('email_changes', (t) => {
    t.increments('id');
    t.string('user_id', 32).notNullable().references('users.id').onDelete('CASCADE');
    t.string('new_email', 320).notNullable();
    t.string('token_hash', 64).notNullable().unique();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('used_at').nullable();
    t.index(['user_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('email_changes');
}
