import { DOUBLE_SUBMIT_MS } from '../../core/http/double-submit';
import type { PlatformDatabase } from '../db/platform-database';

/** A deletion as its audit record names it: what was deleted, by whom, and in which workspace (none for the console's own). */
export interface DeletionAsked {
  action: string;
  targetType: string;
  targetId: string;
  /** null: the CLI, whose repeat is never taken for a double click. */
  actorUserId: string | null;
  /** The workspace the deletion was made in; left out for a platform deletion (an account). */
  tenantId?: string;
}

/** A deletion's audit record, as a repeat of it is answered: what was deleted (`before`) and what it did (`after`). */
export interface DeletionRecord {
  before: Record<string, unknown>;
  after: Record<string, unknown>;
}

const asObject = (json: string | null): Record<string, unknown> => {
  const value: unknown = JSON.parse(json ?? '{}');
  return value && typeof value === 'object' ? (value as Record<string, unknown>) : {};
};

/**
 * The record of a deletion sent again (a double click, a form or an API call sent again): the
 * same person made this deletion within DOUBLE_SUBMIT_MS, in the same workspace, as its audit
 * record says. Undefined for anyone else, the CLI, another workspace, or long after.
 */
export function deletionJustNow(db: PlatformDatabase, asked: DeletionAsked): DeletionRecord | undefined {
  if (!asked.actorUserId) return undefined;
  const inTenant = asked.tenantId === undefined ? '' : ' and tenant_id = ?';
  const row = db.get<{ before: string | null; after: string | null }>(
    `select before, after from audit_events
      where action = ? and created_at > ? and target_type = ? and target_id = ? and actor_user_id = ?${inTenant}
      order by id desc limit 1`,
    [
      asked.action,
      Date.now() - DOUBLE_SUBMIT_MS,
      asked.targetType,
      asked.targetId,
      asked.actorUserId,
      ...(asked.tenantId === undefined ? [] : [asked.tenantId]),
    ],
  );
  return row ? { before: asObject(row.before), after: asObject(row.after) } : undefined;
}

/**
 * What a deletion sent again was just done by: the record's `before` (what was deleted), so the
 * repeat is answered with the first one instead of a 404 about the first one's effect (deletionJustNow).
 */
export function deletedJustNow(db: PlatformDatabase, asked: DeletionAsked): Record<string, unknown> | undefined {
  return deletionJustNow(db, asked)?.before;
}
