import type { Knex } from 'knex';

/**
 * Time-boxed access a super admin is granted to a tenant they are not a member of
 * (break-glass): who, which tenant, why, until when, and how it ended. Rows are kept after they
 * end, as the record of who was inside.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('access_grants', (t) => {
    t.increments('id');
    t.string('user_id', 32).notNullable().references('users.id').onDelete('CASCADE');
    t.string('tenant_id', 32).notNullable().references('tenants.id').onDelete('CASCADE');
    t.string('reason', 500).notNullable();
    t.bigInteger('created_at').notNullable();
    t.bigInteger('expires_at').notNullable();
    t.bigInteger('ended_at').nullable();
    // stopped | expired | tenant-closed
    t.string('ended_reason', 32).nullable();
    t.index(['user_id', 'tenant_id', 'ended_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('access_grants');
}
