import { msg } from '../../core/i18n/message';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { auditedOperator, type Operator } from '../audit/operator';
import { membershipsOfUser, otherActiveSuperAdmins, tenantsOwnedAlone } from './user-directory';
import type { SessionRows } from './change-user-status';
import { accountDeletedJustNow } from './repeated-deletion';

export const deleteUserSchema = z.object({
  confirm: z
    .string({ error: msg("is required: type the user's email address") })
    .trim()
    .toLowerCase()
    .max(320),
});

/**
 * Deletes an account for good, after the operator typed its email address. Refused while the
 * user is the last owner of a tenant (ownership must move first), for the operator's own account
 * and for the last active super admin. Memberships, sessions and grants go with the row; audit
 * records keep the id, and the deletion's own record keeps the address and name. Once it commits,
 * each tenant it belonged to hears `member.removed` (its webhooks announce it, as for a removal).
 * The same deletion sent again by the same super admin moments after is answered with the first
 * one (`repeated`), not with "no such user" about its own effect.
 */
export function deleteUser(platform: ControlPlane, sessions: SessionRows, userId: string, input: unknown, op: Operator): { email: string; repeated?: boolean } {
  const { confirm } = parseInput(deleteUserSchema, input);
  const deleted = platform.db.write(() => {
    const user = platform.users.findById(userId);
    if (!user) {
      // The same deletion sent again moments after (a double click) is answered with the first one.
      const repeated = accountDeletedJustNow(platform.db, userId, op);
      if (repeated) return { ...repeated, repeated: true };
      throw new NotFoundError(msg('No such user.'));
    }
    if (confirm !== user.email) throw ValidationError.single('confirm', msg("must be the user's email address"));
    if (user.id === op.userId) throw new ConflictError(msg('You cannot delete your own account.'));
    if (user.is_super_admin && otherActiveSuperAdmins(platform.db, user.id) === 0)
      throw new ConflictError(`${user.email} is the last active super admin and cannot be deleted.`);
    const owned = tenantsOwnedAlone(platform.db, user.id);
    if (owned.length)
      throw new ConflictError(`${user.email} is the last owner of ${owned.map((t) => t.slug).join(', ')}. Make someone else owner there first.`, {
        tenants: owned.map((t) => t.slug),
      });
    // Each tenant's trail shows that its member went, and why.
    const left = membershipsOfUser(platform.db, user.id);
    for (const m of left) {
      platform.audit.record({
        action: 'membership.remove',
        ...auditedOperator(op),
        tenantId: m.tenant_id,
        targetType: 'user',
        targetId: user.id,
        before: { role: m.role_key, email: user.email },
        after: { status: 'removed', reason: 'account deleted' },
      });
    }
    const memberships = platform.memberships.deleteAllOfUser(user.id);
    const sessionsEnded = sessions.destroyAllForUser(user.id);
    platform.users.delete(user.id);
    platform.audit.record({
      action: 'user.delete',
      ...auditedOperator(op),
      targetType: 'user',
      targetId: user.id,
      before: { email: user.email, name: user.name, status: user.status, superAdmin: Boolean(user.is_super_admin) },
      after: { membershipsRemoved: memberships, sessionsEnded },
    });
    // Kept with the deletion; each tenant's webhooks hear of it once it commits.
    for (const m of left)
      platform.tenantEvents.emit(m.tenant_id, {
        type: 'member.removed',
        data: { user: { id: user.id, email: user.email }, role: m.role_key, reason: 'account_deleted' },
      });
    return { email: user.email };
  });
  return deleted;
}
