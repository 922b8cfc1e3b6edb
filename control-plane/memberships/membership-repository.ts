import type { PlatformDb } from '../db/open-platform-db';

export interface MembershipView {
  membership_id: number;
  user_id: string;
  tenant_id: string;
  role_id: number;
  role_key: string;
  role_name: string;
  /** JSON array of the role's own permissions. */
  role_permissions: string;
  parent_role_id: number | null;
}

export interface UserTenantRow {
  tenant_id: string;
  slug: string;
  name: string;
  status: string;
  role_key: string;
  role_name: string;
}

export class MembershipRepository {
  constructor(private readonly db: PlatformDb) {}

  /** The user's active membership of the tenant, or undefined. */
  findActive(userId: string, tenantId: string): MembershipView | undefined {
    return this.db.raw
      .prepare(
        `select m.id as membership_id, m.user_id, m.tenant_id, m.role_id, r.key as role_key, r.name as role_name,
                r.permissions as role_permissions, r.parent_role_id
           from memberships m join roles r on r.id = m.role_id
          where m.user_id = ? and m.tenant_id = ? and m.status = 'active'`,
      )
      .get(userId, tenantId) as MembershipView | undefined;
  }

  /** Tenants the user may open: active membership of an active tenant. */
  listTenantsOfUser(userId: string): UserTenantRow[] {
    return this.db.raw
      .prepare(
        `select t.id as tenant_id, t.slug, t.name, t.status, r.key as role_key, r.name as role_name
           from memberships m join tenants t on t.id = m.tenant_id join roles r on r.id = m.role_id
          where m.user_id = ? and m.status = 'active' and t.status = 'active'
          order by t.name`,
      )
      .all(userId) as UserTenantRow[];
  }

  /** Adds the membership, or reactivates it with the given role. */
  async upsert(userId: string, tenantId: string, roleId: number): Promise<void> {
    const now = Date.now();
    await this.db
      .knex('memberships')
      .insert({ user_id: userId, tenant_id: tenantId, role_id: roleId, status: 'active', created_at: now, updated_at: now })
      .onConflict(['user_id', 'tenant_id'])
      .merge({ role_id: roleId, status: 'active', updated_at: now });
  }
}
