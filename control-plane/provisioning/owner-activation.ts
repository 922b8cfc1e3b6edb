import type { ControlPlane } from '../control-plane';
import { createInvitation, type CreatedInvitation } from '../invitations/create-invitation';
import { sendOwnerInvitationMail } from '../invitations/invitation-mail';
import type { TenantRecord } from '../tenants/tenant-record';

/** What activation did about the first owner. */
export interface OwnerOutcome {
  /** Set when the first owner already had an account and was added at once. */
  ownerAdded?: string;
  /** Set when the first owner is new: the link is shown once and never stored. */
  invitation?: CreatedInvitation & { email: string };
}

/**
 * The first owner's rows, written in the transaction that makes a tenant active: an existing
 * user joins at once as owner; a new address gets an invitation (its link is shown once).
 * `outcome` says which happened.
 */
export function giveFirstOwner(
  platform: ControlPlane,
  tenant: Pick<TenantRecord, 'id'>,
  email: string,
  actorUserId: string | null,
  outcome: OwnerOutcome,
): void {
  const owner = platform.roles.findPredefined('owner');
  if (!owner) throw new Error('predefined role owner is missing');
  const existing = platform.users.findByEmail(email);
  if (existing) {
    platform.memberships.upsert(existing.id, tenant.id, owner.id);
    platform.audit.record({
      action: 'membership.add',
      actorUserId,
      tenantId: tenant.id,
      targetType: 'user',
      targetId: existing.id,
      after: { role: 'owner' },
    });
    outcome.ownerAdded = existing.email;
  } else {
    outcome.invitation = { ...createInvitation(platform, { tenantId: tenant.id, email, roleId: owner.id, invitedBy: actorUserId }), email };
  }
}

/**
 * The rows written in the transaction that makes a tenant active: its `tenant.create` audit
 * record and its first owner, read from the row (`pending_owner_email`), so a start that
 * finishes provisioning cut off by a crash gives the tenant the owner it was meant to have.
 * An existing user joins at once; a new address gets an invitation. `outcome` is filled in.
 */
export function ownerActivation(platform: ControlPlane, actorUserId: string | null, outcome: OwnerOutcome, note?: string) {
  return (tenant: Pick<TenantRecord, 'id' | 'slug' | 'name'>): void => {
    platform.audit.record({
      action: 'tenant.create',
      actorUserId,
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      after: { slug: tenant.slug, name: tenant.name, ...(note ? { note } : {}) },
    });
    const email = platform.tenants.findById(tenant.id)?.pending_owner_email;
    if (email) giveFirstOwner(platform, tenant, email, actorUserId, outcome);
  };
}

/**
 * Mails the first owner's invitation, as Add owner does (the workspace's language and zone), once
 * the transaction that made the tenant active has committed: whoever ran that transaction (the
 * live request, or the start that finished a provisioning cut off by a crash) mails it, and the
 * other never saw the invitation, so one invitation gets one mail at most. A mail that fails is
 * logged and answered `false`, never thrown: the tenant exists and the link is still shown once.
 * Undefined when there is no invitation to mail.
 */
export async function mailFirstOwnerInvitation(
  platform: ControlPlane,
  tenant: Pick<TenantRecord, 'id' | 'name' | 'display_name'>,
  outcome: OwnerOutcome,
  actorUserId: string | null,
): Promise<boolean | undefined> {
  const invitation = outcome.invitation;
  if (!invitation) return undefined;
  const inviter = actorUserId ? platform.users.findById(actorUserId)?.name : undefined;
  return sendOwnerInvitationMail(platform, tenant, { email: invitation.email, url: invitation.url, expiresAt: invitation.expiresAt }, inviter);
}
