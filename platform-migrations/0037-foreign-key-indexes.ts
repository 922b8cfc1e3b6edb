import type { Knex } from 'knex';

/**
 * Every foreign key whose parent row can be deleted gets an index led by its child column. Deleting
 * a parent makes SQLite find the rows pointing at it (to refuse, cascade or set null); without an
 * index that is a read of the whole child table for each parent row deleted:
 * - users (deleting a user): api_tokens.created_by and invitations.invited_by are set to null.
 * - roles (deleting a custom role, or a purged tenant's roles one by one): memberships.role_id,
 *   invitations.role_id and roles.parent_role_id must point at none. Counting a role's members,
 *   invitations and children before deleting it, and moving them to another role, find the same
 *   rows.
 * - tenants (removing a failed provisioning or the demo): fleet_run_tenants.tenant_id and
 *   access_grants.tenant_id cascade. A tenant's page reads its fleet outcomes by tenant, and the
 *   last outcome of each tenant is its highest run: (tenant_id, run_id) finds both from the index.
 * tenants.plan_id stays without one: no plan is ever deleted nor its id changed.
 */
const INDEXES: Array<[table: string, columns: string[]]> = [
  ['api_tokens', ['created_by']],
  ['invitations', ['invited_by']],
  ['memberships', ['role_id']],
  ['invitations', ['role_id']],
  ['roles', ['parent_role_id']],
  ['fleet_run_tenants', ['tenant_id', 'run_id']],
  ['access_grants', ['tenant_id']],
];

const indexName = (table: string, columns: string[]) => `${table}_${columns.join('_')}_index`;

export async function up(knex: Knex): Promise<void> {
  for (const [table, columns] of INDEXES) {
    await knex.schema.alterTable(table, (t) => {
      t.index(columns, indexName(table, columns));
    });
  }
}

export async function down(knex: Knex): Promise<void> {
  for (const [table, columns] of [...INDEXES].reverse()) {
    await knex.schema.alterTable(table, (t) => {
      t.dropIndex(columns, indexName(table, columns));
    });
  }
}
