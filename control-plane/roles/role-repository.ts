import type { PlatformDatabase } from '../db/platform-database';
import type { ChangeFeed } from '../change-feed';
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
  /** 1 when made, raised by each change (platform migration 0042): what an edit made on an older one is refused for. */
  revision: number;
}

export interface CustomRoleInput {
  name: string;
  description: string;
  parentRoleId: number | null;
  permissions: string[];
}

/** Predefined and custom roles. Every change is told to the change feed (permissions may differ now). */
export class RoleRepository {
  constructor(
    private readonly db: PlatformDatabase,
    private readonly changes: ChangeFeed,
  ) {}

  findPredefined(key: string): RoleRecord | undefined {
    return this.db.get<RoleRecord>('select * from roles where tenant_id is null and key = ?', [key]);
  }

  findById(id: number): RoleRecord | undefined {
    return this.db.get<RoleRecord>('select * from roles where id = ?', [id]);
  }

  /** A role the tenant may see and assign (predefined, or its own custom role); another tenant's role is not found. */
  findForTenant(id: number, tenantId: string): RoleRecord | undefined {
    return this.db.get<RoleRecord>('select * from roles where id = ? and (tenant_id is null or tenant_id = ?)', [id, tenantId]);
  }

  /** Roles a tenant can assign: the predefined ones and its own custom ones. */
  listForTenant(tenantId: string): RoleRecord[] {
    return this.db.all<RoleRecord>('select * from roles where tenant_id is null or tenant_id = ? order by is_predefined desc, rank desc, name', [tenantId]);
  }

  /** How many memberships (any status) and invitations still point at the role. */
  usage(roleId: number): { members: number; invitations: number; children: number } {
    const count = (sql: string) => this.db.get<{ n: number }>(sql, [roleId])?.n ?? 0;
    return {
      members: count("select count(*) as n from memberships where role_id = ? and status = 'active'"),
      invitations: count("select count(*) as n from invitations where role_id = ? and state = 'pending'"),
      children: count('select count(*) as n from roles where parent_role_id = ?'),
    };
  }

  insertCustom(tenantId: string, key: string, input: CustomRoleInput): number {
    const id = Number(
      this.db.run(
        `insert into roles (tenant_id, key, name, description, parent_role_id, is_predefined, rank, permissions, created_at)
         values (?, ?, ?, ?, ?, 0, 0, ?, ?)`,
        [tenantId, key, input.name, input.description, input.parentRoleId, JSON.stringify(input.permissions), Date.now()],
      ).lastInsertRowid,
    );
    this.changes.membershipsChanged();
    return id;
  }

  updateCustom(id: number, tenantId: string, input: CustomRoleInput): boolean {
    const changed =
      this.db.run(
        'update roles set name = ?, description = ?, parent_role_id = ?, permissions = ?, revision = revision + 1 where id = ? and tenant_id = ? and is_predefined = 0',
        [input.name, input.description, input.parentRoleId, JSON.stringify(input.permissions), id, tenantId],
      ).changes === 1;
    // The role's members, and members of every role inheriting from it, see the change on their next request.
    if (changed) this.changes.membershipsChanged();
    return changed;
  }

  /**
   * Moves every membership and invitation of the role (past ones too: they keep a foreign
   * key to it) to another role, then deletes it. Run inside a transaction.
   */
  replaceAndDelete(id: number, tenantId: string, replacementId: number): boolean {
    this.db.run('update memberships set role_id = ?, updated_at = ? where role_id = ? and tenant_id = ?', [replacementId, Date.now(), id, tenantId]);
    this.db.run('update invitations set role_id = ? where role_id = ? and tenant_id = ?', [replacementId, id, tenantId]);
    const deleted = this.db.run('delete from roles where id = ? and tenant_id = ? and is_predefined = 0', [id, tenantId]).changes === 1;
    this.changes.membershipsChanged();
    return deleted;
  }

  /**
   * Writes the code's permission lists onto the predefined rows (run at start-up). Only rows that
   * differ are written, so a start writes nothing when the code did not change them (and a
   * process can start on a full disk, to free space).
   */
  syncPredefined(): void {
    const stale = Object.entries(PREDEFINED_ROLE_PERMISSIONS).filter(
      ([key, permissions]) => this.findPredefined(key)?.permissions !== JSON.stringify(permissions),
    );
    if (!stale.length) return;
    this.db.write(() => {
      for (const [key, permissions] of stale) {
        this.db.run('update roles set permissions = ? where tenant_id is null and key = ?', [JSON.stringify(permissions), key]);
      }
    });
    this.changes.membershipsChanged();
  }
}
