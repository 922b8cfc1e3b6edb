import type { Knex } from 'knex';

/**
 * The tokens pages list a workspace's tokens, and a user's personal tokens, a page at a time,
 * newest first (tokens of one instant by id). (tenant_id) and (user_id) found the tokens but not in
 * order, so each page read and sorted every token of the workspace or the user to show 50.
 * (tenant_id, created_at, id) and (user_id, created_at, id) replace them: a page reads its rows in
 * order and stops, and they still find a workspace's or a user's tokens (their removal cascades).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_tokens', (t) => {
    t.dropIndex(['tenant_id'], 'api_tokens_tenant_id_index');
    t.dropIndex(['user_id'], 'api_tokens_user_id_index');
    t.index(['tenant_id', 'created_at', 'id'], 'api_tokens_tenant_id_created_at_id_index');
    t.index(['user_id', 'created_at', 'id'], 'api_tokens_user_id_created_at_id_index');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('api_tokens', (t) => {
    t.dropIndex(['tenant_id', 'created_at', 'id'], 'api_tokens_tenant_id_created_at_id_index');
    t.dropIndex(['user_id', 'created_at', 'id'], 'api_tokens_user_id_created_at_id_index');
    t.index(['tenant_id'], 'api_tokens_tenant_id_index');
    t.index(['user_id'], 'api_tokens_user_id_index');
  });
}
