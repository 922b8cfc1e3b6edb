import { DOUBLE_SUBMIT_MS } from '../../core/http/double-submit';
import type { PlatformDatabase } from '../db/platform-database';
import type { Operator } from '../audit/operator';

/**
 * The account a deletion sent again was just deleted by (a double click, a form sent again): the
 * same super admin deleted it within DOUBLE_SUBMIT_MS, as its `user.delete` record says. The
 * repeat is answered with that deletion, not with a 404 for the account it removed. Undefined for
 * anyone else, the CLI, or long after.
 */
export function deletedJustNow(db: PlatformDatabase, userId: string, op: Operator): { email: string } | undefined {
  if (!op.userId) return undefined;
  const row = db.get<{ before: string | null }>(
    `select before from audit_events
      where action = 'user.delete' and created_at > ? and target_type = 'user' and target_id = ? and actor_user_id = ?
      order by id desc limit 1`,
    [Date.now() - DOUBLE_SUBMIT_MS, userId, op.userId],
  );
  if (!row) return undefined;
  const before = JSON.parse(row.before ?? '{}') as { email?: unknown };
  return { email: typeof before.email === 'string' ? before.email : '' };
}
