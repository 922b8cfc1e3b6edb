import type { PlatformDatabase } from '../db/platform-database';
import type { AuditRecord } from '../../tenant-runtime/audit-sink';

/** How long one `access.refused` record takes in the same refusals: a record per door a person knocks at, per window. */
export const REFUSAL_WINDOW_MS = 10 * 60_000;

/**
 * Where a refused request knocked: the console's pages, the admin API, the other API paths
 * (workspaces, context) or the workspace pages (`/t/<slug>/…`, or a workspace's subdomain).
 */
export type Door = 'console' | 'admin-api' | 'api' | 'pages';

export function doorOf(path: string): Door {
  if (/^\/api\/v1\/admin(\/|$)/.test(path)) return 'admin-api';
  if (/^\/api(\/|$)/.test(path)) return 'api';
  if (/^\/admin(\/|$)/.test(path)) return 'console';
  return 'pages';
}

/** The fields a repeat adds to the record it is counted into (the first request's own stay as written). */
export interface RepeatFields {
  /** How many refused requests the record stands for, the first one included. */
  count: number;
  /** When the latest of them came (ISO 8601). */
  last_at: string;
  /** The latest one's method and path, as `method` and `path` hold the first one's. */
  last_method?: unknown;
  last_path?: unknown;
}

interface OpenRecord {
  id: number;
  target_id: string | null;
  after: string | null;
}

/**
 * The record a refusal is counted into, when there is one: the same actor (and real actor, and
 * token), the same tenant (or none), the same kind of target, refused within REFUSAL_WINDOW_MS of
 * that record's first request (either side of now, as recent-records.ts: a record ahead of a clock
 * set back starts no count of its own). A permission must be the same one; a path need only have
 * knocked at the same door: a member walking ids or slugs fills one record, not one per address.
 * `is ?` compares nulls as equal (SQLite; PostgreSQL spells it `is not distinct from`).
 *
 * Read through (tenant_id, action, created_at): the refusals at one tenant (or at none) within the
 * window, which this bound keeps to one per person and door. SQLite would otherwise take
 * (actor_user_id, created_at) and walk every event of the person in the window: a script working
 * at its rate limit leaves thousands, and each refusal read them all (3-15 ms a refusal instead of 0.3, measured in a trail of 200,000 events).
 */
export const OPEN_RECORD_SQL = `select id, target_id, after from audit_events indexed by audit_events_tenant_id_action_created_at_index
  where actor_user_id is ? and created_at > ? and created_at < ? and action = ?
    and tenant_id is ? and target_type is ? and api_token_id is ? and real_actor_user_id is ?
  order by id desc`;

function openRecord(db: PlatformDatabase, entry: AuditRecord, now: number): OpenRecord | undefined {
  const candidates = db.all<OpenRecord>(OPEN_RECORD_SQL, [
    entry.actorUserId ?? null,
    now - REFUSAL_WINDOW_MS,
    now + REFUSAL_WINDOW_MS,
    entry.action,
    entry.tenantId ?? null,
    entry.targetType ?? null,
    entry.apiTokenId ?? null,
    entry.realActorUserId ?? null,
  ]);
  const target = entry.targetId ?? null;
  if (entry.targetType !== 'path') return candidates.find((row) => row.target_id === target);
  const door = doorOf(target ?? '');
  return candidates.find((row) => doorOf(row.target_id ?? '') === door);
}

/** The first request's `after` with the repeat counted in: the count and the latest time first, so a trail cut short still shows them. */
function counted(after: string | null, entry: AuditRecord, now: number): string {
  const first = parsed(after);
  const latest = entry.after && typeof entry.after === 'object' ? (entry.after as Record<string, unknown>) : {};
  const count = (typeof first.count === 'number' ? first.count : 1) + 1;
  const repeat: RepeatFields = { count, last_at: new Date(now).toISOString(), last_method: latest.method, last_path: latest.path };
  // The repeat's keys first, then the first request's; the repeat's values win over an earlier count.
  return JSON.stringify({ ...repeat, ...first, ...repeat });
}

function parsed(json: string | null): Record<string, unknown> {
  const value: unknown = json ? JSON.parse(json) : {};
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}

/**
 * Records a refused access with a bound: at most one record per actor and door (or permission)
 * and tenant in each window, later refusals counted into it (`count`, with the latest time and
 * path) rather than written beside it. The look-up and the write share one BEGIN IMMEDIATE
 * transaction, so two processes refusing the same person at once still make one record.
 * `insert` writes a new record (audit-log.ts).
 */
export function recordRefusal(db: PlatformDatabase, entry: AuditRecord, now: number, insert: (entry: AuditRecord, now: number) => void): void {
  db.write(() => {
    const open = openRecord(db, entry, now);
    if (!open) return insert(entry, now);
    db.run('update audit_events set after = ? where id = ?', [counted(open.after, entry, now), open.id]);
  });
}
