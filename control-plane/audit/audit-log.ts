import type { PlatformDatabase } from '../db/platform-database';
import type { AuditRecord, AuditSink } from '../../tenant-runtime/audit-sink';
import { recordRefusal } from './refusal-bound';

export type AuditEntry = AuditRecord;

/**
 * Who did what to what, and when. Never receives passwords or tokens. A refused access is
 * bounded (refusal-bound.ts): the same refusals within a window are counted into one record.
 */
export class AuditLog implements AuditSink {
  constructor(private readonly db: PlatformDatabase) {}

  record(entry: AuditEntry): void {
    if (entry.action === 'access.refused') return recordRefusal(this.db, entry, Date.now(), this.insert);
    this.insert(entry, Date.now());
  }

  private readonly insert = (entry: AuditEntry, now: number): void => {
    this.db.run(
      `insert into audit_events (tenant_id, actor_user_id, real_actor_user_id, api_token_id, action, target_type, target_id, before, after, ip, user_agent, created_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        entry.tenantId ?? null,
        entry.actorUserId ?? null,
        entry.realActorUserId ?? null,
        entry.apiTokenId ?? null,
        entry.action,
        entry.targetType ?? null,
        entry.targetId ?? null,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        entry.ip ?? null,
        entry.userAgent ? entry.userAgent.slice(0, 500) : null,
        now,
      ],
    );
  };
}
