import type { PlatformDb } from '../db/open-platform-db';

export interface AuditEntry {
  action: string;
  actorUserId?: string | null;
  tenantId?: string | null;
  targetType?: string | null;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
  userAgent?: string | null;
}

/** Who did what to what, and when. Never receives passwords or tokens. */
export class AuditLog {
  constructor(private readonly db: PlatformDb) {}

  record(entry: AuditEntry): void {
    this.db.raw
      .prepare(
        `insert into audit_events (tenant_id, actor_user_id, action, target_type, target_id, before, after, ip, user_agent, created_at)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        entry.tenantId ?? null,
        entry.actorUserId ?? null,
        entry.action,
        entry.targetType ?? null,
        entry.targetId ?? null,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        entry.ip ?? null,
        entry.userAgent ? entry.userAgent.slice(0, 500) : null,
        Date.now(),
      );
  }
}
