import type { ControlPlane } from '../control-plane';
import { createInvitation, type CreatedInvitation } from '../invitations/create-invitation';
import type { TenantRecord } from '../tenants/tenant-record';

/** What activation did about the first owner. */
export interface OwnerOutcome {
  /** Set when the first owner already had an account and was added at once. */
  ownerAdded?: string;
  /** Set when the first owner is new: the link is shown once and never stored. */
  invitation?: CreatedInvitation;
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
    outcome.invitation = createInvitation(platform, { tenantId: tenant.id, email, roleId: owner.id, invitedBy: actorUserId });
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
