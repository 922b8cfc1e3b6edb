import type { Knex } from 'knex';

/**
 * Sessions are now keyed by the SHA-256 of a signed cookie's token (docs/decisions/033); the rows
 * express-session wrote (raw ids, anonymous visitors' sessions) can never be reached again.
 * Everyone signs in again after the upgrade.
 */
export async function up(knex: Knex): Promise<void> {
  await knex('sessions').del();
}

export async function down(knex: Knex): Promise<void> {
  // The other way round too: a token hash means nothing to express-session.
  await knex('sessions').del();
}
