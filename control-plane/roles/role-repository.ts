import type { PlatformDb } from '../db/open-platform-db';
import { PREDEFINED_ROLE_PERMISSIONS } from './predefined-roles';

export interface RoleRecord {
  id: number;
  tenant_id: string | null;
  key: string;
  name: string;
  description: string;
  parent_role_id: number | null;
  is_predefined: number;
  rank: number;
  permissions: string;
}

export interface CustomRoleInput {
  name: string;
  description: string;
  parentRoleId: number | null;
  permissions: string[];
}

export class RoleRepository {
  constructor(private readonly db: PlatformDb) {}

  findPredefined(key: string): RoleRecord | undefined {
    return this.db.prepare('select * from roles where tenant_id is null and key = ?').get(key) as RoleRecord | undefined;
  }

  findById(id: number): RoleRecord | undefined {
    return this.db.prepare('select * from roles where id = ?').get(id) as RoleRecord | undefined;
  }

  /** A role the tenant may see and assign (predefined, or its own custom role); another tenant's role is not found. */
  findForTenant(id: number, tenantId: string): RoleRecord | undefined {
    return this.db.prepare('select * from roles where id = ? and (tenant_id is null or tenant_id = ?)').get(id, tenantId) as RoleRecord | undefined;
  }

  /** Roles a tenant can assign: the predefined ones and its own custom ones. */
  listForTenant(tenantId: string): RoleRecord[] {
    return this.db.raw
      .prepare('select * from roles where tenant_id is null or tenant_id = ? order by is_predefined desc, rank desc, name')
      .all(tenantId) as RoleRecord[];
  }

  /** How many memberships (any status) and invitations still point at the role. */
  usage(roleId: number): { members: number; invitations: number; children: number } {
    const count = (sql: string) => (this.db.prepare(sql).get(roleId) as { n: number }).n;
    return {
      members: count("select count(*) as n from memberships where role_id = ? and status = 'active'"),
      invitations: count("select count(*) as n from invitations where role_id = ? and state = 'pending'"),
      children: count('select count(*) as n from roles where parent_role_id = ?'),
    };
  }

  insertCustom(tenantId: string, key: string, input: CustomRoleInput): number {
    return Number(
      this.db.raw
        .prepare(
          `insert into roles (tenant_id, key, name, description, parent_role_id, is_predefined, rank, permissions, created_at)
           values (?, ?, ?, ?, ?, 0, 0, ?, ?)`,
        )
        .run(tenantId, key, input.name, input.description, input.parentRoleId, JSON.stringify(input.permissions), Date.now()).lastInsertRowid,
    );
  }

  updateCustom(id: number, tenantId: string, input: CustomRoleInput): boolean {
    return (
      this.db.raw
        .prepare('update roles set name = ?, description = ?, parent_role_id = ?, permissions = ? where id = ? and tenant_id = ? and is_predefined = 0')
        .run(input.name, input.description, input.parentRoleId, JSON.stringify(input.permissions), id, tenantId).changes === 1
    );
  }

  /**
   * Moves every membership and invitation of the role (past ones too: they keep a foreign
   * key to it) to another role, then deletes it. Run inside a transaction.
   */
  replaceAndDelete(id: number, tenantId: string, replacementId: number): boolean {
    this.db.prepare('update memberships set role_id = ?, updated_at = ? where role_id = ? and tenant_id = ?').run(replacementId, Date.now(), id, tenantId);
    this.db.prepare('update invitations set role_id = ? where role_id = ? and tenant_id = ?').run(replacementId, id, tenantId);
    return this.db.prepare('delete from roles where id = ? and tenant_id = ? and is_predefined = 0').run(id, tenantId).changes === 1;
  }

  /** Writes the code's permission lists onto the predefined rows (run at start-up). */
  async syncPredefined(): Promise<void> {
    for (const [key, permissions] of Object.entries(PREDEFINED_ROLE_PERMISSIONS)) {
      await this.db.knex('roles').whereNull('tenant_id').andWhere({ key }).update({ permissions: JSON.stringify(permissions) });
    }
  }
}
