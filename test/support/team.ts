import type { Platform } from '../../app/create-platform';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import type { UserRecord } from '../../control-plane/users/user-record';
import type { Permission } from '../../tenant-runtime/permission-catalogue';
import { createInvitation, type CreatedInvitation } from '../../control-plane/invitations/create-invitation';

/** The id of a predefined role. */
export function roleId(platform: Platform, key: string): number {
  const role = platform.roles.findPredefined(key);
  if (!role) throw new Error(`no role ${key}`);
  return role.id;
}

/** A custom role written straight to the control plane (bypassing the checks the pages apply). */
export function makeCustomRole(platform: Platform, tenant: TenantRecord, name: string, permissions: Permission[] = [], parentId: number | null = null): number {
  const id = platform.roles.insertCustom(tenant.id, `custom-${name.toLowerCase().replace(/\W+/g, '-')}-${Math.random().toString(16).slice(2, 8)}`, {
    name,
    description: '',
    parentRoleId: parentId,
    permissions,
  });
  return id;
}

/** Gives the user a role of the tenant (predefined key or role id). */
export async function setRole(platform: Platform, user: UserRecord, tenant: TenantRecord, role: string | number): Promise<void> {
  platform.memberships.upsert(user.id, tenant.id, typeof role === 'number' ? role : roleId(platform, role));
}

export function membershipOf(platform: Platform, user: UserRecord, tenant: TenantRecord) {
  const member = platform.memberships.findMemberOfUser(user.id, tenant.id);
  if (!member) throw new Error(`${user.email} is not a member of ${tenant.slug}`);
  return member;
}

export function roleKeyOf(platform: Platform, user: UserRecord, tenant: TenantRecord): string | undefined {
  return platform.memberships.findMemberOfUser(user.id, tenant.id)?.role_key;
}

export interface AuditRow {
  action: string;
  actor_user_id: string | null;
  api_token_id: string | null;
  tenant_id: string | null;
  target_type: string | null;
  target_id: string | null;
  before: string | null;
  after: string | null;
  ip: string | null;
  user_agent: string | null;
  created_at: number;
}

/** Audit events of the given action, oldest first. */
export function auditOf(platform: Platform, action: string): AuditRow[] {
  return platform.db.connection().prepare('select * from audit_events where action = ? order by id').all(action) as AuditRow[];
}

/** Audit events that record a change (everything but refused access). */
export function changeCount(platform: Platform): number {
  return (platform.db.connection().prepare("select count(*) as n from audit_events where action <> 'access.refused'").get() as { n: number }).n;
}

export function invite(platform: Platform, tenant: TenantRecord, email: string, role = 'viewer', invitedBy: string | null = null): CreatedInvitation {
  return createInvitation(platform, { tenantId: tenant.id, email, roleId: roleId(platform, role), invitedBy });
}

export function invitationRow(platform: Platform, id: string) {
  return platform.db.connection().prepare('select * from invitations where id = ?').get(id) as
    { state: string; token_hash: string; role_id: number; expires_at: number; email: string } | undefined;
}

/** The path part of an invitation link. */
export function linkPath(url: string): string {
  return new URL(url).pathname;
}
