import { DOUBLE_SUBMIT_MS, isDoubleSubmit } from '../../core/http/double-submit';
import type { ControlPlane } from '../control-plane';
import type { ActingMember } from '../audit/tenant-actor';
import { normaliseEmail } from '../users/user-repository';
import { currentState, type InvitationRecord } from './invitation-repository';

/**
 * The invitations a batch sent again was answered by (a double click on Invite, a browser sending
 * the form again, an API client retrying without an Idempotency-Key): one batch the same member
 * sent to this workspace within DOUBLE_SUBMIT_MS, still pending, with this role and exactly these
 * addresses, no more and no fewer (its invitations share the instant the batch was written at).
 * Asked inside the batch's write, so two sent at once make one batch. Undefined for anything else
 * (a part of a batch, a batch and more, an address without one, another member's, another role,
 * long after): the batch is checked as always, and an address with a pending invitation refused.
 */
export function invitationsJustSent(platform: ControlPlane, actor: ActingMember, emails: string[], roleId: number): InvitationRecord[] | undefined {
  const now = Date.now();
  const batches = new Map<number, InvitationRecord[]>();
  for (const invitation of platform.invitations.pendingMadeBy(actor.tenantId, actor.userId, now - DOUBLE_SUBMIT_MS)) {
    if (!isDoubleSubmit(invitation.created_at, now) || currentState(invitation, now) !== 'pending') continue;
    batches.set(invitation.created_at, [...(batches.get(invitation.created_at) ?? []), invitation]);
  }
  const asked = new Set(emails.map(normaliseEmail));
  return [...batches.values()].find(
    (batch) => batch.length === asked.size && batch.every((invitation) => invitation.role_id === roleId && asked.has(invitation.email)),
  );
}
