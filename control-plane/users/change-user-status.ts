import { msg } from '../../core/i18n/message';
import type { ControlPlane } from '../control-plane';
import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { auditedOperator, type Operator } from '../audit/operator';
import { otherActiveSuperAdmins, tenantsOwnedAlone } from './user-directory';
import type { UserRecord } from './user-record';
import { spendMailedLinks } from './mailed-links';

/** What ends a user's sessions: the rows of the `sessions` table (control-plane/auth/session-repository.ts). */
export interface SessionRows {
  destroyAllForUser(userId: string, exceptSid?: string): number;
}

/** What the REST API takes with a disable: `force` to disable the only active owner of workspaces anyway. */
export const disableUserSchema = z.strictObject({
  force: z.boolean().optional().describe('Disable even when the account is the only active owner of workspaces, which are then left without one'),
});

/**
 * Disabling would leave workspaces without an active owner who can act (the account is the only
 * one there): refused unless the operator says `force`, as a 400 on that field naming them.
 */
export class LeavesWorkspacesWithoutOwnerError extends ValidationError {
  constructor(
    readonly email: string,
    readonly workspaces: Array<{ slug: string; name: string }>,
  ) {
    super([
      {
        field: 'force',
        message: `is required: ${email} is the only active owner of ${workspaces.map((w) => `${w.slug} (${w.name})`).join(', ')}; disabling the account leaves ${workspaces.length === 1 ? 'it' : 'them'} without an owner who can act`,
      },
    ]);
  }
}

export interface StatusChange {
  user: UserRecord;
  changed: boolean;
  sessionsEnded: number;
  /** Workspaces a forced disable left without an active owner. */
  leftWithoutOwner: Array<{ slug: string; name: string }>;
}

/**
 * Disables or enables an account. Disabling ends every session of the user in the same
 * transaction (their rows are deleted; the session middleware re-reads the user on every
 * request anyway) and is refused for the operator's own account and for the last active super
 * admin. It is refused too while the account is the only active owner of a workspace (the check
 * deleting an account makes, decision 017), unless `force` says the operator means it (an
 * abusive owner): the record then names the workspaces left without an owner. Doing what is
 * already so changes nothing and records nothing.
 */
export function changeUserStatus(
  platform: ControlPlane,
  sessions: SessionRows,
  userId: string,
  to: 'active' | 'disabled',
  op: Operator,
  options: { force?: boolean } = {},
): StatusChange {
  return platform.db.write(() => {
    const user = platform.users.findById(userId);
    if (!user) throw new NotFoundError(msg('No such user.'));
    if (user.status === to) return { user, changed: false, sessionsEnded: 0, leftWithoutOwner: [] };
    if (to === 'disabled') {
      if (user.id === op.userId) throw new ConflictError(msg('You cannot disable your own account.'));
      if (user.is_super_admin && otherActiveSuperAdmins(platform.db, user.id) === 0)
        throw new ConflictError(`${user.email} is the last active super admin and cannot be disabled.`);
    }
    // Read under the same lock as the change: an owner made or removed meanwhile is counted as it is now.
    const ownerless = to === 'disabled' ? tenantsOwnedAlone(platform.db, user.id) : [];
    if (ownerless.length && !options.force) throw new LeavesWorkspacesWithoutOwnerError(user.email, ownerless);
    platform.users.setStatus(user.id, to);
    const sessionsEnded = to === 'disabled' ? sessions.destroyAllForUser(user.id) : 0;
    // A link mailed before the account was disabled (a reset, a change of address) does not come back to life with it.
    if (to === 'disabled') spendMailedLinks(platform.db, user.id);
    platform.audit.record({
      action: to === 'disabled' ? 'user.disable' : 'user.enable',
      ...auditedOperator(op),
      targetType: 'user',
      targetId: user.id,
      before: { status: user.status },
      after: {
        status: to,
        ...(to === 'disabled' ? { sessionsEnded } : {}),
        ...(ownerless.length ? { leftWithoutOwner: ownerless.map((w) => w.slug) } : {}),
      },
    });
    return { user: platform.users.findById(user.id) as UserRecord, changed: true, sessionsEnded, leftWithoutOwner: ownerless };
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
