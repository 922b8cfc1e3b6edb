import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { assertWithinLimit, limitOf, type LimitPolicy } from '../../tenant-runtime/limit-check';
import { LIMITS, type LimitKey } from '../../tenant-runtime/plan-catalogue';
import { recordUsage } from './usage-meter';
import { currentUse } from './usage-report';

/** The limits the workspace measures in its own file (members and invitations are the control plane's). */
export type WorkspaceLimit = Exclude<LimitKey, 'members' | 'pending_invitations'>;

/**
 * Refuses (LimitReachedError) when `adding` more would pass the limit; measures nothing when
 * there is none. Call it inside the write transaction of the work it guards.
 */
export function ensureRoom(db: TenantDatabase, policy: LimitPolicy | undefined, key: WorkspaceLimit, adding: number, userId?: string): void {
  if (limitOf(policy, key) === null) return;
  assertWithinLimit(policy, key, currentUse(db, key, { userId }), adding);
}

/**
 * For a metered limit: checks there is room, then counts `amount` (for the member when the limit
 * is per member), in the caller's transaction, so the work and its count commit together. The
 * member is the one the policy names (a service token's work counts for the member who made it),
 * else `userId`, who acts.
 */
export function meterWithin(db: TenantDatabase, policy: LimitPolicy | undefined, key: WorkspaceLimit, amount: number, userId?: string): void {
  const { metric, perUser } = LIMITS[key];
  if (!metric) throw new Error(`${key} is a level, not a counter`);
  const member = perUser ? (policy?.member ?? userId) : undefined;
  ensureRoom(db, policy, key, amount, member);
  recordUsage(db, metric, amount, member ? { userId: member } : {});
}
