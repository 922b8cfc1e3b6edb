import { growingLru } from '../../core/cache/growing-lru';
import type { PlatformDatabase } from '../db/platform-database';
import type { ChangeFeed } from '../change-feed';
import type { TenantRecord } from './tenant-record';
import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { ActorRole } from '../../tenant-runtime/tenant-request-context';
import { roleNameValue } from '../roles/predefined-roles';
import { effectivePermissions } from '../roles/effective-permissions';
import type { RoleRepository } from '../roles/role-repository';
import type { TenantRepository } from './tenant-repository';
import type { MembershipRepository, MembershipView, UserTenantRow } from '../memberships/membership-repository';

const MISSING = Symbol('missing');
type Cached<T> = T | typeof MISSING;

/** A user's active membership in a tenant with what the tenant pages need of it, cached as one. */
export interface MemberGrant {
  membership: MembershipView;
  role: ActorRole;
  /** The role's effective permissions (its own and every ancestor's). */
  permissions: ReadonlySet<Permission>;
}

/**
 * Keeps the request path free of control-plane queries: slug -> tenant and
 * (user, tenant) -> membership are cached. The repositories tell the change feed what they
 * change and the cache drops it; changes made by another process (the CLI) are noticed through
 * SQLite's data_version, checked at most once per second (every time inside a write transaction).
 */
export class AccessCache {
  private readonly tenants = growingLru<string, Cached<TenantRecord>>(20000);
  private readonly memberships = growingLru<string, Cached<MemberGrant>>(50000);
  private readonly userTenants = growingLru<string, UserTenantRow[]>(20000);
  private readonly rolePermissions = growingLru<number, Set<Permission>>(10000);
  private dataVersion: number;
  /** When data_version was last read, on the monotonic clock: a wall clock set back stops no check. */
  private checkedAt: number | undefined;

  constructor(
    private readonly db: PlatformDatabase,
    private readonly repos: { tenants: TenantRepository; memberships: MembershipRepository; roles: RoleRepository },
    changes: ChangeFeed,
    /** Told when another process changed the control plane (e.g. the CLI suspended a tenant). */
    private readonly onOutsideChange: () => void = () => {},
    private readonly recheckMs = 1000,
  ) {
    this.dataVersion = db.dataVersion();
    changes.onTenantChange((slug) => this.invalidateTenant(slug));
    changes.onMembershipChange(() => this.invalidateMemberships());
  }

  tenantBySlug(slug: string): TenantRecord | undefined {
    this.noticeOutsideChanges();
    let hit = this.tenants.get(slug);
    if (hit === undefined) {
      hit = this.repos.tenants.findBySlug(slug) ?? MISSING;
      this.tenants.set(slug, hit);
    }
    return hit === MISSING ? undefined : hit;
  }

  membership(userId: string, tenantId: string): MembershipView | undefined {
    return this.grant(userId, tenantId)?.membership;
  }

  /** The active membership with its role and effective permissions, from one cache entry. */
  grant(userId: string, tenantId: string): MemberGrant | undefined {
    this.noticeOutsideChanges();
    const key = `${userId}:${tenantId}`;
    let hit = this.memberships.get(key);
    if (hit === undefined) {
      const membership = this.repos.memberships.findActive(userId, tenantId);
      hit = membership
        ? {
            membership,
            role: Object.freeze({ key: membership.role_key, name: membership.role_name, label: roleNameValue(membership.role_key, membership.role_name) }),
            permissions: this.permissionsOfRole(membership.role_id),
          }
        : MISSING;
      this.memberships.set(key, hit);
    }
    return hit === MISSING ? undefined : hit;
  }

  /** The membership's effective permissions (its role's own and every ancestor's). */
  permissionsOf(membership: MembershipView): ReadonlySet<Permission> {
    return this.permissionsOfRole(membership.role_id);
  }

  /**
   * A role's effective permissions, resolved through its parent chain once and cached until
   * roles or memberships change (a parent's edit changes its descendants too).
   */
  permissionsOfRole(roleId: number): ReadonlySet<Permission> {
    this.noticeOutsideChanges();
    let hit = this.rolePermissions.get(roleId);
    if (!hit) {
      hit = effectivePermissions(roleId, (id) => this.repos.roles.findById(id));
      this.rolePermissions.set(roleId, hit);
    }
    return hit;
  }

  /** The tenants a user may open (for the switcher), cached like the rest. */
  tenantsOfUser(userId: string): UserTenantRow[] {
    this.noticeOutsideChanges();
    let hit = this.userTenants.get(userId);
    if (!hit) {
      hit = this.repos.memberships.listTenantsOfUser(userId);
      this.userTenants.set(userId, hit);
    }
    return hit;
  }

  /** A tenant's name or status changed: its slug entry and every switcher list may show it. */
  private invalidateTenant(slug?: string): void {
    if (slug) this.tenants.delete(slug);
    else this.tenants.clear();
    this.userTenants.clear();
  }

  /** Memberships or roles changed: every cached membership and permission set is dropped. */
  private invalidateMemberships(): void {
    this.memberships.clear();
    this.userTenants.clear();
    this.rolePermissions.clear();
  }

  clear(): void {
    this.tenants.clear();
    this.memberships.clear();
    this.userTenants.clear();
    this.rolePermissions.clear();
  }

  /**
   * Notices a change another process made (the CLI took a tenant offline for a restore): at most
   * once per second. Requests call it; a server also calls it on a timer, so an idle server still
   * closes a handle another process waits for. Inside a write transaction it looks every time: the
   * transaction holds the write lock (nobody commits until it ends), and what it checks there (a
   * plan's members limit, a feature) must be what another process committed just before it, not
   * what this one saw up to a second ago.
   */
  noticeOutsideChanges(): void {
    const now = performance.now();
    if (this.checkedAt !== undefined && now - this.checkedAt < this.recheckMs && !this.db.inTransaction) return;
    this.checkedAt = now;
    const version = this.db.dataVersion();
    if (version !== this.dataVersion) {
      this.dataVersion = version;
      this.clear();
      this.onOutsideChange();
    }
  }
}
