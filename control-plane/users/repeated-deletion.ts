import type { PlatformDatabase } from '../db/platform-database';
import type { Operator } from '../audit/operator';
import { deletedJustNow } from '../audit/repeated-deletion';

/**
 * The account a deletion sent again was just deleted by (a double click, a form sent again): the
 * same super admin deleted it within DOUBLE_SUBMIT_MS, as its `user.delete` record says. The
 * repeat is answered with that deletion, not with a 404 for the account it removed. Undefined for
 * anyone else, the CLI, or long after.
 */
export function accountDeletedJustNow(db: PlatformDatabase, userId: string, op: Operator): { email: string } | undefined {
  const before = deletedJustNow(db, { action: 'user.delete', targetType: 'user', targetId: userId, actorUserId: op.userId });
  if (!before) return undefined;
  return { email: typeof before.email === 'string' ? before.email : '' };
}
