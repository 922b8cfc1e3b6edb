import type { Knex } from 'knex';

/**
 * Who really did it: while a super admin acts as another user (impersonation), each audit record
 * names the impersonated user as the actor and the super admin here. Null for everything else.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (t) => {
    t.string('real_actor_user_id', 32).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('audit_events', (t) => {
    t.dropColumn('real_actor_user_id');
  });
}
