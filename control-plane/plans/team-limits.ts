import type { ControlPlane } from '../control-plane';
import { assertWithinLimit, limitPolicy } from '../../tenant-runtime/limit-check';

/** The limits the control plane measures itself: people in the team, and invitations still open. */
export type TeamLimit = 'members' | 'pending_invitations';

/** The team's use now, as the plan counts it. */
export function teamUse(platform: Pick<ControlPlane, 'memberships' | 'invitations'>, tenantId: string, key: TeamLimit): number {
  return key === 'members' ? platform.memberships.countActive(tenantId) : platform.invitations.countPending(tenantId);
}

/**
 * Refuses (LimitReachedError) when `adding` more members or invitations would pass the tenant's
 * limit. Run inside the platform write transaction that adds them, so two requests at the
 * boundary cannot both pass. `roleKey`: the role of who acts (an owner is told to ask the
 * platform's administrators, anyone else the owners).
 */
export function ensureTeamRoom(platform: ControlPlane, tenantId: string, key: TeamLimit, adding: number, roleKey: string | undefined): void {
  const entitlements = platform.planBook.entitlementsOf(tenantId);
  if (entitlements.limits[key] === null) return;
  assertWithinLimit(limitPolicy(entitlements, roleKey ?? ''), key, teamUse(platform, tenantId, key), adding);
}
