import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { ImpersonationState } from '../../core/http/request-types';
import { reasonSchema } from '../audit/reason-schema';
import { auditedOperator, type Operator } from '../audit/operator';
import { membershipsOfUser } from '../users/user-directory';
import type { UserRecord } from '../users/user-record';

export const impersonationSchema = z.object({ reason: reasonSchema });

/**
 * A super admin starts acting as another user, for IMPERSONATION_MINUTES at most. Refused for
 * another super admin (403, recorded: nobody borrows a peer's powers), for a disabled account and
 * for oneself. The start is recorded in the platform trail and in the trail of every tenant the
 * user belongs to, with the reason and the end time.
 */
export function startImpersonation(platform: ControlPlane, op: Operator & { userId: string }, targetId: string, input: unknown): ImpersonationState {
  const { reason } = parseInput(impersonationSchema, input);
  const target = platform.users.findById(targetId);
  if (!target) throw new NotFoundError('No such user.');
  if (target.id === op.userId) throw new ConflictError('You cannot impersonate yourself.');
  if (target.is_super_admin) {
    platform.audit.record({
      action: 'impersonation.refused',
      ...auditedOperator(op),
      targetType: 'user',
      targetId: target.id,
      after: { why: 'target is a super admin', reason },
    });
    throw new ForbiddenError('Super admins cannot be impersonated.');
  }
  if (target.status !== 'active') throw new ConflictError(`${target.email} is ${target.status}; only an active account can be impersonated.`);
  const startedAt = Date.now();
  const state: ImpersonationState = {
    realUserId: op.userId,
    targetUserId: target.id,
    reason,
    startedAt,
    expiresAt: startedAt + platform.config.impersonationMinutes * 60_000,
  };
  recordEverywhere(platform, target, op, 'impersonation.start', { reason, expiresAt: new Date(state.expiresAt).toISOString() });
  return state;
}

/**
 * One record in the platform trail (no tenant) and one in each tenant the user belongs to, in
 * one transaction: the client's owners see who acted as their member, and why.
 */
export function recordEverywhere(
  platform: ControlPlane,
  target: Pick<UserRecord, 'id' | 'email'>,
  op: Operator,
  action: string,
  after: Record<string, unknown>,
): void {
  platform.db.write(() => {
    const base = { action, ...auditedOperator(op), targetType: 'user', targetId: target.id, after: { email: target.email, ...after } };
    platform.audit.record(base);
    for (const m of membershipsOfUser(platform.db, target.id)) platform.audit.record({ ...base, tenantId: m.tenant_id });
  });
}
