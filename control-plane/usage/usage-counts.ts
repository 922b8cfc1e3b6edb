import type { PlatformDatabase } from '../db/platform-database';

/**
 * The uses the control plane holds rather than the tenant's file, for every tenant at once (the
 * roll-up): active members and pending (unexpired) invitations. One tenant's are counted by the
 * membership and invitation repositories (control-plane/plans/team-limits.ts).
 */
export class UsageCounts {
  constructor(private readonly db: PlatformDatabase) {}

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
