import type { PlatformDatabase } from '../db/platform-database';

const MEMBERS = "select count(*) as n from memberships where tenant_id = ? and status = 'active'";
const PENDING = "select count(*) as n from invitations where tenant_id = ? and state = 'pending' and expires_at > ?";

/**
 * The uses the control plane holds rather than the tenant's file: active members and pending
 * (unexpired) invitations, for one tenant (the usage page) or every tenant at once (the roll-up).
 */
export class UsageCounts {
  constructor(private readonly db: PlatformDatabase) {}

  members(tenantId: string): number {
    return this.db.get<{ n: number }>(MEMBERS, [tenantId])?.n ?? 0;
  }

  pendingInvitations(tenantId: string, at = Date.now()): number {
    return this.db.get<{ n: number }>(PENDING, [tenantId, at])?.n ?? 0;
  }

  membersByTenant(): Map<string, number> {
    return this.byTenant("select tenant_id, count(*) as n from memberships where status = 'active' group by tenant_id");
  }

  pendingInvitationsByTenant(at = Date.now()): Map<string, number> {
    return this.byTenant("select tenant_id, count(*) as n from invitations where state = 'pending' and expires_at > ? group by tenant_id", [at]);
  }

  private byTenant(sql: string, params: number[] = []): Map<string, number> {
    return new Map(this.db.all<{ tenant_id: string; n: number }>(sql, params).map((r) => [r.tenant_id, r.n]));
  }
}
