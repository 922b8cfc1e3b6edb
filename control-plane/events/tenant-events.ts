import crypto from 'node:crypto';
import type { PlatformDatabase } from '../db/platform-database';
import { BOUND_LIMIT } from '../../core/db/sql-limit';
import type { TenantStatus } from '../tenants/tenant-record';

/** Control-plane facts a tenant's webhooks may announce. */
export type TenantEventType = 'member.joined' | 'member.removed' | 'invitation.accepted';

export interface TenantEvent {
  type: TenantEventType;
  data: Record<string, unknown>;
}

/** An event as kept until it is forwarded: its id (deliveries queued for it are named after it) and when it happened. */
export interface SentEvent {
  id: string;
  at: number;
}

export type TenantEventListener = (tenantId: string, event: TenantEvent, sent: SentEvent) => void;

/** Events left behind handed on per start at most; the rest wait for the next. */
const REPLAY_BATCH = 1000;

/** How long an event may wait in the outbox while its process queues it (a background turn, a lease). */
export const IN_FLIGHT_MS = 60_000;

/**
 * Statuses a tenant comes back from with its file (a restore's maintenance, a damaged file
 * repaired): its events are not queued meanwhile, nor dropped, but wait in the outbox until it is
 * live again: handed on as the transition that brings it back commits (`handOnWaitedFor`), and by
 * `handOnLeft`, which the lifecycle timer runs every minute, should the process stop in between.
 */
const WAITING_STATUSES: readonly TenantStatus[] = ['maintenance', 'damaged'];

/** Whether a tenant in this status keeps its events waiting instead of taking them now. */
export function eventsWaitWhile(status: TenantStatus): boolean {
  return WAITING_STATUSES.includes(status);
}

const NOT_WAITING = `not exists (select 1 from tenants t where t.id = o.tenant_id and t.status in (${WAITING_STATUSES.map((s) => `'${s}'`).join(', ')}))`;

/**
 * The narrow way out of the control plane for tenant events: a command emits inside its
 * transaction, which keeps the event in `tenant_event_outbox` with the change (platform migration
 * 0039); once it commits, the listeners hear of it, and app/ subscribes the workspace's webhook
 * outbox, which says when the event is queued in the tenant's file (`forwarded`, the row goes). A
 * process killed in between leaves the row: the next start hands it on again (`handOnLeft`),
 * and the deliveries' ids, made from the event's, queue it once. The control plane never learns
 * what listens. A listener that throws does not undo or stop the command.
 */
export class TenantEvents {
  private readonly listeners: TenantEventListener[] = [];

  constructor(
    private readonly db: PlatformDatabase,
    private readonly onError: (err: unknown, event: TenantEvent) => void = () => {},
  ) {}

  subscribe(listener: TenantEventListener): void {
    this.listeners.push(listener);
  }

  /** Call it inside the transaction that makes the change: the event is kept with it and told once it commits (never if it rolls back). */
  emit(tenantId: string, event: TenantEvent): void {
    const sent: SentEvent = { id: `evt_${crypto.randomBytes(12).toString('hex')}`, at: Date.now() };
    this.db.write(() => {
      this.db.run('insert into tenant_event_outbox (id, tenant_id, type, data, created_at) values (?, ?, ?, ?, ?)', [
        sent.id,
        tenantId,
        event.type,
        JSON.stringify(event.data),
        sent.at,
      ]);
      this.db.afterCommit(() => this.tell(tenantId, event, sent));
    });
  }

  /** A listener queued the event in the tenant's file (or the tenant takes none any more): it is not handed on again. */
  forwarded(id: string): void {
    this.db.run('delete from tenant_event_outbox where id = ?', [id]);
  }

  /**
   * Events kept before `before` and never forwarded (a stopped process's; those of a tenant that was
   * in maintenance or damaged and is back), handed to the listeners again: start-up, CLI commands
   * and `doctor --fix` (all of them), the lifecycle timer (those older than IN_FLIGHT_MS). Those of a
   * tenant still in maintenance or damaged wait on.
   */
  handOnLeft(before = Number.MAX_SAFE_INTEGER): Array<{ tenantId: string; type: TenantEventType; id: string }> {
    const rows = this.db.all<{ id: string; tenant_id: string; type: TenantEventType; data: string; created_at: number }>(
      `select id, tenant_id, type, data, created_at from tenant_event_outbox o where created_at < ? and ${NOT_WAITING} order by created_at, id ${BOUND_LIMIT}`,
      [before, REPLAY_BATCH],
    );
    for (const row of rows)
      this.tell(row.tenant_id, { type: row.type, data: JSON.parse(row.data) as Record<string, unknown> }, { id: row.id, at: row.created_at });
    return rows.map((r) => ({ tenantId: r.tenant_id, type: r.type, id: r.id }));
  }

  /**
   * A tenant back from maintenance or damaged (recovered, brought back after a restore): the events
   * that waited for it are handed on now, as the transition commits (apply-transition.ts), not at
   * the lifecycle timer's next pass, which stays for a process stopped in between.
   */
  handOnWaitedFor(tenantId: string): number {
    const rows = this.db.all<{ id: string; type: TenantEventType; data: string; created_at: number }>(
      `select id, type, data, created_at from tenant_event_outbox o where tenant_id = ? and ${NOT_WAITING} order by created_at, id ${BOUND_LIMIT}`,
      [tenantId, REPLAY_BATCH],
    );
    for (const row of rows) this.tell(tenantId, { type: row.type, data: JSON.parse(row.data) as Record<string, unknown> }, { id: row.id, at: row.created_at });
    return rows.length;
  }

  /** Events kept before `before` and still not forwarded (what `tenantry doctor` reports), but those waiting for their tenant to be back. */
  waiting(before: number): Array<{ tenantId: string; type: TenantEventType; id: string }> {
    return this.db
      .all<{ id: string; tenant_id: string; type: TenantEventType }>(
        `select id, tenant_id, type from tenant_event_outbox o where created_at < ? and ${NOT_WAITING} order by created_at, id ${BOUND_LIMIT}`,
        [before, REPLAY_BATCH],
      )
      .map((r) => ({ tenantId: r.tenant_id, type: r.type, id: r.id }));
  }

  private tell(tenantId: string, event: TenantEvent, sent: SentEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(tenantId, event, sent);
      } catch (err) {
        this.onError(err, event);
      }
    }
  }
}
