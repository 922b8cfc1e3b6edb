import type { PlatformDatabase } from '../db/platform-database';
import { recordsJustMade, type RecentRecord } from './recent-records';

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
export type DeletionRecord = RecentRecord;

/**
 * The record of a deletion sent again (a double click, a form or an API call sent again): the
 * same person made this deletion within DOUBLE_SUBMIT_MS, in the same workspace, as its audit
 * record says. Undefined for anyone else, the CLI, another workspace, or long after.
 */
export function deletionJustNow(db: PlatformDatabase, asked: DeletionAsked): DeletionRecord | undefined {
  const [newest] = recordsJustMade(db, {
    action: asked.action,
    actorUserId: asked.actorUserId,
    tenantId: asked.tenantId,
    target: { type: asked.targetType, id: asked.targetId },
  });
  return newest;
}

/**
 * What a deletion sent again was just done by: the record's `before` (what was deleted), so the
 * repeat is answered with the first one instead of a 404 about the first one's effect (deletionJustNow).
 */
export function deletedJustNow(db: PlatformDatabase, asked: DeletionAsked): Record<string, unknown> | undefined {
  return deletionJustNow(db, asked)?.before;
}
