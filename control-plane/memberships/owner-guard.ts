import { msg } from '../../core/i18n/message';
import type { ControlPlane } from '../control-plane';
import { ConflictError } from '../../core/errors/app-errors';
import type { MemberRow } from './membership-repository';

export function isOwner(member: Pick<MemberRow, 'role_key' | 'role_is_predefined'>): boolean {
  return member.role_key === 'owner' && Boolean(member.role_is_predefined);
}

/**
 * A tenant always keeps at least one owner who can act: an owner can be neither removed nor given
 * another role when no other owner has an active account (an owner whose account was disabled
 * manages nothing): transfer ownership first. Call inside the write transaction.
 */
export function assertKeepsAnOwner(platform: ControlPlane, member: MemberRow, tenantId: string, change: 'remove' | 'demote'): void {
  if (!isOwner(member) || platform.memberships.countActiveOwners(tenantId, member.user_id) > 0) return;
  throw new ConflictError(
    change === 'remove'
      ? msg('{{name}} is the last owner and cannot be removed. Transfer ownership to another member first.', { name: member.name })
      : msg('{{name}} is the last owner and cannot be given another role. Transfer ownership to another member first.', { name: member.name }),
    { membershipId: member.membership_id },
  );
}
