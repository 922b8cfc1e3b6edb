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

/** A member as the team page lists them. */
export interface MemberRow {
  membership_id: number;
  user_id: string;
  name: string;
  email: string;
  role_id: number;
  role_key: string;
  role_name: string;
  role_is_predefined: number;
  created_at: number;
}

const MEMBER_SELECT = `select m.id as membership_id, m.user_id, u.name, u.email, m.role_id, r.key as role_key, r.name as role_name,
                              r.is_predefined as role_is_predefined, m.created_at
                         from memberships m join users u on u.id = m.user_id join roles r on r.id = m.role_id`;

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

  /** Active members of a tenant, highest role first. */
  listMembers(tenantId: string): MemberRow[] {
    return this.db.raw
      .prepare(`${MEMBER_SELECT} where m.tenant_id = ? and m.status = 'active' order by r.is_predefined desc, r.rank desc, u.name`)
      .all(tenantId) as MemberRow[];
  }

  /** An active member of this tenant by membership id; a membership of another tenant is not found. */
  findMember(membershipId: number, tenantId: string): MemberRow | undefined {
    return this.db.prepare(`${MEMBER_SELECT} where m.id = ? and m.tenant_id = ? and m.status = 'active'`).get(membershipId, tenantId) as MemberRow | undefined;
  }

  /** The user's active membership of this tenant, as the team page shows it. */
  findMemberOfUser(userId: string, tenantId: string): MemberRow | undefined {
    return this.db.prepare(`${MEMBER_SELECT} where m.user_id = ? and m.tenant_id = ? and m.status = 'active'`).get(userId, tenantId) as MemberRow | undefined;
  }

  /** Active members per role id, for the roles page. */
  countByRole(tenantId: string): Map<number, number> {
    const rows = this.db.raw
      .prepare("select role_id, count(*) as n from memberships where tenant_id = ? and status = 'active' group by role_id")
      .all(tenantId) as Array<{ role_id: number; n: number }>;
    return new Map(rows.map((r) => [r.role_id, r.n]));
  }

  /** Active members holding the predefined owner role. */
  countOwners(tenantId: string): number {
    const row = this.db.raw
      .prepare(
        `select count(*) as n from memberships m join roles r on r.id = m.role_id
          where m.tenant_id = ? and m.status = 'active' and r.tenant_id is null and r.key = 'owner'`,
      )
      .get(tenantId) as { n: number };
    return row.n;
  }

  setRole(membershipId: number, tenantId: string, roleId: number): boolean {
    return this.db.prepare("update memberships set role_id = ?, updated_at = ? where id = ? and tenant_id = ? and status = 'active'").run(roleId, Date.now(), membershipId, tenantId).changes === 1;
  }

  markRemoved(membershipId: number, tenantId: string): boolean {
    return this.db.prepare("update memberships set status = 'removed', updated_at = ? where id = ? and tenant_id = ? and status = 'active'").run(Date.now(), membershipId, tenantId).changes === 1;
  }
}
