import { DOUBLE_SUBMIT_MS } from '../../core/http/double-submit';
import type { PlatformDatabase } from '../db/platform-database';
import type { SqlValue } from '../../core/db/sqlite-handle';

/** Whose records of one action are asked for: the person, where, and what they were about. */
export interface RecentAsked {
  action: string;
  /** null: the CLI, whose repeat is never taken for a double click. */
  actorUserId: string | null;
  /** The workspace the records were made in; left out for the console's own. */
  tenantId?: string;
  /** What the records are about, when they name it. */
  target?: { type: string; id: string };
  /**
   * The API token the request came with, null for none (a page, a session): two tokens of one
   * person are two scripts, not one double click. Left out: any.
   */
  apiTokenId?: string | null;
}

/** An audit record's own fields, as written (audit-log.ts). */
export interface RecentRecord {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

/**
 * The person's records of this action made within DOUBLE_SUBMIT_MS of now, newest first: what the same
 * thing sent again (a double click, a form or an API call sent again) finds its first one by.
 * None for the CLI.
 */
export function recordsJustMade(db: PlatformDatabase, asked: RecentAsked): RecentRecord[] {
  if (!asked.actorUserId) return [];
  const where: string[] = [];
  const values: SqlValue[] = [];
  const and = (clause: string, value: SqlValue) => {
    where.push(clause);
    values.push(value);
  };
  if (asked.tenantId !== undefined) and('tenant_id = ?', asked.tenantId);
  if (asked.target) {
    and('target_type = ?', asked.target.type);
    and('target_id = ?', asked.target.id);
  }
  if (asked.apiTokenId === null) where.push('api_token_id is null');
  else if (asked.apiTokenId !== undefined) and('api_token_id = ?', asked.apiTokenId);
  // Within the window either side of now, as isDoubleSubmit: a record ahead of a clock set back is no repeat.
  const now = Date.now();
  const rows = db.all<{ before: string | null; after: string | null }>(
    `select before, after from audit_events
      where action = ? and created_at > ? and created_at < ? and actor_user_id = ?${where.map((clause) => ` and ${clause}`).join('')}
      order by id desc`,
    [asked.action, now - DOUBLE_SUBMIT_MS, now + DOUBLE_SUBMIT_MS, asked.actorUserId, ...values],
  );
  return rows.map((row) => ({ before: fields(row.before), after: fields(row.after) }));
}

/** The newest record of this action in a tenant's trail, whoever made it and whenever. */
export function latestRecord(db: PlatformDatabase, tenantId: string, action: string): RecentRecord | undefined {
  const row = db.get<{ before: string | null; after: string | null }>(
    'select before, after from audit_events where tenant_id = ? and action = ? order by id desc limit 1',
    [tenantId, action],
  );
  return row && { before: fields(row.before), after: fields(row.after) };
}

function fields(json: string | null): Record<string, unknown> {
  const value: unknown = JSON.parse(json ?? '{}');
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
}
