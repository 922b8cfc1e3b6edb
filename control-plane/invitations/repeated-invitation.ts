import { DOUBLE_SUBMIT_MS, isDoubleSubmit } from '../../core/http/double-submit';
import type { ControlPlane } from '../control-plane';
import type { ActingMember } from '../audit/tenant-actor';
import { normaliseEmail } from '../users/user-repository';
import { currentState, type InvitationRecord } from './invitation-repository';

/**
 * The invitations a batch sent again was answered by (a double click on Invite, a browser sending
 * the form again, an API client retrying without an Idempotency-Key): every address asked has a
 * pending invitation with this role that the same member made to this workspace within
 * DOUBLE_SUBMIT_MS. Asked inside the batch's write, so two sent at once make one batch. Undefined
 * for anything else (an address without one, another member's, another role, long after): the
 * batch is checked as always, and an address with a pending invitation refused.
 */
export function invitationsJustSent(platform: ControlPlane, actor: ActingMember, emails: string[], roleId: number): InvitationRecord[] | undefined {
  const now = Date.now();
  const recent = new Map(
    platform.invitations
      .pendingMadeBy(actor.tenantId, actor.userId, now - DOUBLE_SUBMIT_MS)
      .filter((invitation) => isDoubleSubmit(invitation.created_at, now) && currentState(invitation, now) === 'pending')
      .map((invitation) => [invitation.email, invitation]),
  );
  const found = [...new Set(emails.map(normaliseEmail))].map((email) => recent.get(email));
  return found.length && found.every((invitation) => invitation?.role_id === roleId) ? (found as InvitationRecord[]) : undefined;
}
