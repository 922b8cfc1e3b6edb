import type { PlatformDatabase } from '../db/platform-database';
import type { ChangeFeed } from '../change-feed';
import type { MemberPosition } from './member-position';
import type { TenantStatus } from '../tenants/tenant-record';
import { BOUND_LIMIT } from '../../core/db/sql-limit';

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
  /** The member's own language, or null for the workspace's. */
  language: string | null;
  role_id: number;
  role_key: string;
  role_name: string;
  role_is_predefined: number;
  role_rank: number;
  created_at: number;
  /** The account's status (`active`, `disabled`): a disabled account keeps its memberships and acts in none. */
  user_status: string;
}

const MEMBER_SELECT = `select m.id as membership_id, m.user_id, u.name, u.email, u.language, m.role_id, r.key as role_key, r.name as role_name,
                              r.is_predefined as role_is_predefined, r.rank as role_rank, m.created_at, u.status as user_status
                         from memberships m join users u on u.id = m.user_id join roles r on r.id = m.role_id`;

/** Memberships: who belongs to which tenant with which role. Every change is told to the change feed. */
export class MembershipRepository {
  constructor(
    private readonly db: PlatformDatabase,
    private readonly changes: ChangeFeed,
  ) {}

  /** The user's active membership of the tenant, or undefined. */
  findActive(userId: string, tenantId: string): MembershipView | undefined {
    return this.db.get<MembershipView>(
      `select m.id as membership_id, m.user_id, m.tenant_id, m.role_id, r.key as role_key, r.name as role_name,
              r.permissions as role_permissions, r.parent_role_id
         from memberships m join roles r on r.id = m.role_id
        where m.user_id = ? and m.tenant_id = ? and m.status = 'active'`,
      [userId, tenantId],
    );
  }

  /** Tenants the user may open: active membership of an active tenant. */
  listTenantsOfUser(userId: string): UserTenantRow[] {
    return this.tenantsOfUserIn(userId, ['active']);
  }

  /**
   * The user's workspaces closed for now (suspended, damaged, or offline for seconds while a restore
   * swaps their data): their members are shown why, not a 404.
   */
  listClosedTenantsOfUser(userId: string): UserTenantRow[] {
    return this.tenantsOfUserIn(userId, ['suspended', 'damaged', 'maintenance']);
  }

  private tenantsOfUserIn(userId: string, statuses: TenantStatus[]): UserTenantRow[] {
    return this.db.all<UserTenantRow>(
      `select t.id as tenant_id, t.slug, coalesce(t.display_name, t.name) as name, t.status, r.key as role_key, r.name as role_name
         from memberships m join tenants t on t.id = m.tenant_id join roles r on r.id = m.role_id
        where m.user_id = ? and m.status = 'active' and t.status in (${statuses.map(() => '?').join(', ')})
        order by coalesce(t.display_name, t.name)`,
      [userId, ...statuses],
    );
  }

  /**
   * Adds the membership, or reactivates it with the given role. A member who had left or been
   * removed is a member again from now (`created_at`, the team's "member since"); an active one
   * keeps their date.
   */
  upsert(userId: string, tenantId: string, roleId: number): void {
    const now = Date.now();
    this.db.run(
      `insert into memberships (user_id, tenant_id, role_id, status, created_at, updated_at) values (?, ?, ?, 'active', ?, ?)
       on conflict (user_id, tenant_id) do update set role_id = excluded.role_id, status = 'active', updated_at = excluded.updated_at,
         created_at = case when memberships.status = 'active' then memberships.created_at else excluded.created_at end`,
      [userId, tenantId, roleId, now, now],
    );
    this.changes.membershipsChanged();
  }

  /** Active members of a tenant, highest role first. */
  listMembers(tenantId: string): MemberRow[] {
    return this.db.all<MemberRow>(`${MEMBER_SELECT} where m.tenant_id = ? and m.status = 'active' order by r.is_predefined desc, r.rank desc, u.name`, [
      tenantId,
    ]);
  }

  /**
   * Up to `limit` active members after `after` (from the first when none), in the order of
   * listMembers with the membership as the last key: a page of the team page or of the API. The
   * team page leaves out the member reading it (`exceptUserId`), whose row it shows first.
   */
  pageOfMembers(tenantId: string, limit: number, options: { after?: MemberPosition; exceptUserId?: string } = {}): MemberRow[] {
    const { after, exceptUserId = '' } = options;
    const from = after ? 'and (-r.is_predefined, -r.rank, u.name, m.id) > (?, ?, ?, ?)' : '';
    const position = after ? [-after.predefined, -after.rank, after.name, after.membershipId] : [];
    return this.db.all<MemberRow>(
      `${MEMBER_SELECT} where m.tenant_id = ? and m.status = 'active' and m.user_id <> ? ${from}
        order by r.is_predefined desc, r.rank desc, u.name, m.id ${BOUND_LIMIT}`,
      [tenantId, exceptUserId, ...position, limit],
    );
  }

  /** Active members whose account is active too: whom the workspace's mail may reach (a disabled account keeps its memberships, not its mail). */
  listReachable(tenantId: string): MemberRow[] {
    return this.db.all<MemberRow>(
      `${MEMBER_SELECT} where m.tenant_id = ? and m.status = 'active' and u.status = 'active' order by r.is_predefined desc, r.rank desc, u.name`,
      [tenantId],
    );
  }

  /** The user as an active member of this tenant whose account is active (see listReachable). */
  findReachable(userId: string, tenantId: string): MemberRow | undefined {
    return this.db.get<MemberRow>(`${MEMBER_SELECT} where m.user_id = ? and m.tenant_id = ? and m.status = 'active' and u.status = 'active'`, [
      userId,
      tenantId,
    ]);
  }

  /** An active member of this tenant by membership id; a membership of another tenant is not found. */
  findMember(membershipId: number, tenantId: string): MemberRow | undefined {
    return this.db.get<MemberRow>(`${MEMBER_SELECT} where m.id = ? and m.tenant_id = ? and m.status = 'active'`, [membershipId, tenantId]);
  }

  /** The user's active membership of this tenant, as the team page shows it. */
  findMemberOfUser(userId: string, tenantId: string): MemberRow | undefined {
    return this.db.get<MemberRow>(`${MEMBER_SELECT} where m.user_id = ? and m.tenant_id = ? and m.status = 'active'`, [userId, tenantId]);
  }

  /** Active members per role id, for the roles page. */
  countByRole(tenantId: string): Map<number, number> {
    const rows = this.db.all<{ role_id: number; n: number }>(
      "select role_id, count(*) as n from memberships where tenant_id = ? and status = 'active' group by role_id",
      [tenantId],
    );
    return new Map(rows.map((r) => [r.role_id, r.n]));
  }

  /** Active members (the plan's member limit counts them). */
  countActive(tenantId: string): number {
    return this.db.get<{ n: number }>("select count(*) as n from memberships where tenant_id = ? and status = 'active'", [tenantId])?.n ?? 0;
  }

  /** Active members holding the predefined owner role. */
  /**
   * Owners of the tenant whose account is active, other than `exceptUserId` when given: who could
   * still manage it if that user went (a disabled account's owner role manages nothing).
   */
  countActiveOwners(tenantId: string, exceptUserId = ''): number {
    const row = this.db.get<{ n: number }>(
      `select count(*) as n from memberships m join roles r on r.id = m.role_id join users u on u.id = m.user_id
        where m.tenant_id = ? and m.user_id <> ? and m.status = 'active' and r.tenant_id is null and r.key = 'owner' and u.status = 'active'`,
      [tenantId, exceptUserId],
    );
    return row?.n ?? 0;
  }

  /** The tenants this user owns with no other owner whose account is active, in one query. */
  soleOwnerships(userId: string): Set<string> {
    const rows = this.db.all<{ tenant_id: string }>(
      `select m.tenant_id from memberships m join roles r on r.id = m.role_id
        where m.user_id = ? and m.status = 'active' and r.tenant_id is null and r.key = 'owner'
          and not exists (
            select 1 from memberships o join roles ro on ro.id = o.role_id join users u on u.id = o.user_id
             where o.tenant_id = m.tenant_id and o.user_id <> m.user_id and o.status = 'active'
               and ro.tenant_id is null and ro.key = 'owner' and u.status = 'active')`,
      [userId],
    );
    return new Set(rows.map((r) => r.tenant_id));
  }

  setRole(membershipId: number, tenantId: string, roleId: number): boolean {
    const changed =
      this.db.run("update memberships set role_id = ?, updated_at = ? where id = ? and tenant_id = ? and status = 'active'", [
        roleId,
        Date.now(),
        membershipId,
        tenantId,
      ]).changes === 1;
    if (changed) this.changes.membershipsChanged();
    return changed;
  }

  /** Deletes every membership of a user (the user is being deleted); returns how many. */
  deleteAllOfUser(userId: string): number {
    const removed = this.db.run('delete from memberships where user_id = ?', [userId]).changes;
    this.changes.membershipsChanged();
    return removed;
  }

  /** A former member of this tenant by membership id (removed, or left), as they were: what a repeated removal is answered with. */
  findRemoved(membershipId: number, tenantId: string): MemberRow | undefined {
    return this.db.get<MemberRow>(`${MEMBER_SELECT} where m.id = ? and m.tenant_id = ? and m.status = 'removed'`, [membershipId, tenantId]);
  }

  markRemoved(membershipId: number, tenantId: string): boolean {
    const changed =
      this.db.run("update memberships set status = 'removed', updated_at = ? where id = ? and tenant_id = ? and status = 'active'", [
        Date.now(),
        membershipId,
        tenantId,
      ]).changes === 1;
    if (changed) this.changes.membershipsChanged();
    return changed;
  }
}
