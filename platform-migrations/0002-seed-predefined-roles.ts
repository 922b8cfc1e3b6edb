import type { Knex } from 'knex';

/**
 * Predefined roles are rows with a null tenant. Their permission lists are kept in code
 * (control-plane/roles/predefined-roles.ts) and synchronised at start-up, so this migration
 * only creates the rows.
 */
const ROLES = [
  { key: 'owner', name: 'Owner', rank: 50, description: 'Everything, including ownership transfer and tenant deletion.' },
  { key: 'admin', name: 'Admin', rank: 40, description: 'Everything but ownership transfer and tenant deletion.' },
  { key: 'approver', name: 'Approver', rank: 30, description: 'Views content and approves it or asks for changes.' },
  { key: 'editor', name: 'Editor', rank: 20, description: 'Creates and edits content.' },
  { key: 'viewer', name: 'Viewer', rank: 10, description: 'Reads everything, changes nothing.' },
];

export async function up(knex: Knex): Promise<void> {
  const now = Date.now();
  await knex('roles').insert(ROLES.map((r) => ({ ...r, tenant_id: null, is_predefined: true, permissions: '[]', created_at: now })));
}

export async function down(knex: Knex): Promise<void> {
  await knex('roles').whereNull('tenant_id').delete();
}
