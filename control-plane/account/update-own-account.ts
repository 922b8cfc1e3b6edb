import type { ControlPlane } from '../control-plane';
import type { Client as AuditClient } from '../../core/http/client-of';
import type { UserRecord } from '../users/user-record';

type OwnField = 'name' | 'language' | 'default_tenant_id';

/**
 * One field of a person's own account set, with its audit record (`before` and `after` under
 * `auditKey`), in one write transaction that reads the old value under the lock. An unchanged
 * value writes nothing.
 */
export function updateOwnAccount<F extends OwnField>(
  platform: ControlPlane,
  userId: string,
  change: { field: F; value: UserRecord[F]; action: string; auditKey: string },
  client: AuditClient,
): void {
  const { field, value, action, auditKey } = change;
  platform.db.write(() => {
    const before = platform.users.findById(userId)?.[field] ?? null;
    if (before === value) return;
    platform.users.update(userId, { [field]: value });
    platform.audit.record({
      action,
      actorUserId: userId,
      targetType: 'user',
      targetId: userId,
      before: { [auditKey]: before },
      after: { [auditKey]: value },
      ...client,
    });
  });
}
