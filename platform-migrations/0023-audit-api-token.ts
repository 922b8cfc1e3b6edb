import type { Knex } from 'knex';

/** Which API token a request that left an audit record came with (null: a session or the CLI). */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (t) => {
    t.string('api_token_id', 32).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (t) => {
    t.dropColumn('api_token_id');
  });
}
