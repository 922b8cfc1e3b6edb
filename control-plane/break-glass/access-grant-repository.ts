import type { PlatformDatabase } from '../db/platform-database';

export interface AccessGrantRecord {
  id: number;
  user_id: string;
  tenant_id: string;
  reason: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
  ended_reason: string | null;
}

/** A grant with its tenant, as the banner and the break-glass page show it. */
export interface ActiveGrantRow extends AccessGrantRecord {
  slug: string;
  tenant_name: string;
}

export type GrantEnd = 'stopped' | 'expired';

/**
 * Break-glass grants: a super admin's time-boxed access to a tenant they are not a member of.
 * A grant is open until it is ended (stopped, or found expired); ended rows stay as history.
 */
export class AccessGrantRepository {
  constructor(private readonly db: PlatformDatabase) {}

  insert(row: Pick<AccessGrantRecord, 'user_id' | 'tenant_id' | 'reason' | 'expires_at'>): number {
    return Number(
      this.db.run('insert into access_grants (user_id, tenant_id, reason, created_at, expires_at) values (?, ?, ?, ?, ?)', [
        row.user_id,
        row.tenant_id,
        row.reason,
        Date.now(),
        row.expires_at,
      ]).lastInsertRowid,
    );
  }

  /** The user's open grant to the tenant (expired or not: the caller decides), newest first. */
  findOpen(userId: string, tenantId: string): AccessGrantRecord | undefined {
    return this.db.get<AccessGrantRecord>('select * from access_grants where user_id = ? and tenant_id = ? and ended_at is null order by id desc limit 1', [
      userId,
      tenantId,
    ]);
  }

  /** An open grant of this user by id; another user's grant is not found. */
  findOpenOfUser(id: number, userId: string): ActiveGrantRow | undefined {
    return this.db.get<ActiveGrantRow>(
      `select g.*, t.slug, t.name as tenant_name from access_grants g join tenants t on t.id = g.tenant_id
        where g.id = ? and g.user_id = ? and g.ended_at is null`,
      [id, userId],
    );
  }

  /** The user's open grants that have not expired, soonest to end first. */
  listActiveOfUser(userId: string, now = Date.now()): ActiveGrantRow[] {
    return this.db.all<ActiveGrantRow>(
      `select g.*, t.slug, t.name as tenant_name from access_grants g join tenants t on t.id = g.tenant_id
        where g.user_id = ? and g.ended_at is null and g.expires_at > ? order by g.expires_at`,
      [userId, now],
    );
  }

  /** Ends an open grant; false when it had already ended (a second stop, a race with expiry). */
  end(id: number, reason: GrantEnd): boolean {
    return this.db.run('update access_grants set ended_at = ?, ended_reason = ? where id = ? and ended_at is null', [Date.now(), reason, id]).changes === 1;
  }
}
