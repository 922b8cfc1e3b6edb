import { msg } from '../../core/i18n/message';
import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { auditedOperator, type Operator } from '../audit/operator';
import { otherActiveSuperAdmins } from './user-directory';
import type { UserRecord } from './user-record';
import { PasswordResetRepository } from '../password-reset/password-reset-repository';

/** What ends a user's sessions: the rows of the `sessions` table (control-plane/auth/session-repository.ts). */
export interface SessionRows {
  destroyAllForUser(userId: string, exceptSid?: string): number;
}

export interface StatusChange {
  user: UserRecord;
  changed: boolean;
  sessionsEnded: number;
}

/**
 * Disables or enables an account. Disabling ends every session of the user in the same
 * transaction (their rows are deleted; the session middleware re-reads the user on every
 * request anyway) and is refused for the operator's own account and for the last active super
 * admin. Doing what is already so changes nothing and records nothing.
 */
export function changeUserStatus(platform: ControlPlane, sessions: SessionRows, userId: string, to: 'active' | 'disabled', op: Operator): StatusChange {
  return platform.db.write(() => {
    const user = platform.users.findById(userId);
    if (!user) throw new NotFoundError(msg('No such user.'));
    if (user.status === to) return { user, changed: false, sessionsEnded: 0 };
    if (to === 'disabled') {
      if (user.id === op.userId) throw new ConflictError(msg('You cannot disable your own account.'));
      if (user.is_super_admin && otherActiveSuperAdmins(platform.db, user.id) === 0)
        throw new ConflictError(`${user.email} is the last active super admin and cannot be disabled.`);
    }
    platform.users.setStatus(user.id, to);
    const sessionsEnded = to === 'disabled' ? sessions.destroyAllForUser(user.id) : 0;
    // A reset link asked for before the account was disabled does not come back to life with it.
    if (to === 'disabled') new PasswordResetRepository(platform.db).spendAllOfUser(user.id);
    platform.audit.record({
      action: to === 'disabled' ? 'user.disable' : 'user.enable',
      ...auditedOperator(op),
      targetType: 'user',
      targetId: user.id,
      before: { status: user.status },
      after: { status: to, ...(to === 'disabled' ? { sessionsEnded } : {}) },
    });
    return { user: platform.users.findById(user.id) as UserRecord, changed: true, sessionsEnded };
  });
}

/** Ends every session of a user at once (a lost laptop, a leaked cookie); the account stays usable. */
export function signOutEverywhere(platform: ControlPlane, sessions: SessionRows, userId: string, op: Operator): { user: UserRecord; sessionsEnded: number } {
  return platform.db.write(() => {
    const user = platform.users.findById(userId);
    if (!user) throw new NotFoundError(msg('No such user.'));
    const sessionsEnded = sessions.destroyAllForUser(user.id);
    platform.audit.record({ action: 'user.sign_out_everywhere', ...auditedOperator(op), targetType: 'user', targetId: user.id, after: { sessionsEnded } });
    return { user, sessionsEnded };
  });
}
