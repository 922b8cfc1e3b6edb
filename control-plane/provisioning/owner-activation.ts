import type { ControlPlane } from '../control-plane';
import { createInvitation, type CreatedInvitation } from '../invitations/create-invitation';
import { sendOwnerInvitationMail } from '../invitations/invitation-mail';
import type { TenantRecord } from '../tenants/tenant-record';
import { normaliseEmail } from '../users/user-repository';
import { pausePoint } from '../../core/process/pause-point';
import { auditedOperator, type Operator } from '../audit/operator';

/** What activation did about the first owner. */
export interface OwnerOutcome {
  /** Set when the first owner already had an account and was added at once. */
  ownerAdded?: string;
  /** Set when the first owner is new: the link is shown once and never stored. */
  invitation?: CreatedInvitation & { email: string };
}

/**
 * The first owner's rows, written in the transaction that makes a tenant active: an existing
 * user joins at once as owner; a new address gets an invitation (its link is shown once), and the
 * row keeps the address (`pending_owner_email`) until that invitation is mailed, so a process
 * stopped between the commit and the mail leaves a mail owed for the next start to send
 * (control-plane/provisioning/owed-owner-mail.ts). `outcome` says which happened.
 */
export function giveFirstOwner(platform: ControlPlane, tenant: Pick<TenantRecord, 'id'>, email: string, by: Operator, outcome: OwnerOutcome): void {
  const owner = platform.roles.findPredefined('owner');
  if (!owner) throw new Error('predefined role owner is missing');
  const existing = platform.users.findByEmail(email);
  if (existing) {
    platform.memberships.upsert(existing.id, tenant.id, owner.id);
    platform.audit.record({
      ...auditedOperator(by),
      action: 'membership.add',
      tenantId: tenant.id,
      targetType: 'user',
      targetId: existing.id,
      after: { role: 'owner' },
    });
    outcome.ownerAdded = existing.email;
    platform.tenants.update(tenant.id, { pending_owner_email: null });
  } else {
    outcome.invitation = {
      ...createInvitation(platform, { tenantId: tenant.id, email, roleId: owner.id, invitedBy: by.userId, by: auditedOperator(by) }),
      email,
    };
    platform.tenants.update(tenant.id, { pending_owner_email: normaliseEmail(email) });
  }
}

/**
 * The rows written in the transaction that makes a tenant active: its `tenant.create` audit
 * record and its first owner, read from the row (`pending_owner_email`), so a start that
 * finishes provisioning cut off by a crash gives the tenant the owner it was meant to have.
 * An existing user joins at once; a new address gets an invitation. `outcome` is filled in. Each
 * record names `by`, with the API token the creation came with (none from the console): a creation
 * sent again is matched to the token that sent it (repeated-creation.ts).
 */
export function ownerActivation(platform: ControlPlane, by: Operator, outcome: OwnerOutcome, note?: string) {
  return (tenant: Pick<TenantRecord, 'id' | 'slug' | 'name'>): void => {
    platform.audit.record({
      ...auditedOperator(by),
      action: 'tenant.create',
      tenantId: tenant.id,
      targetType: 'tenant',
      targetId: tenant.id,
      after: { slug: tenant.slug, name: tenant.name, ...(note ? { note } : {}) },
    });
    const email = platform.tenants.findById(tenant.id)?.pending_owner_email;
    if (email) giveFirstOwner(platform, tenant, email, by, outcome);
  };
}

/**
 * Mails the first owner's invitation, as Add owner does (the workspace's language and zone), once
 * the transaction that made the tenant active has committed, by whoever ran that transaction (the
 * live request, or the start that finished a provisioning cut off by a crash), still under the
 * tenant's lock: a repair of mails owed leaves a locked tenant alone, so it never mails the same
 * invitation beside it. Then the mail is no longer owed: once sent, or, when `linkShown`, once
 * tried (the link is shown to whoever asked, who passes it on when the mail failed); a repair
 * whose mail failed leaves it owed, for the next one to mail with a new link. A mail that fails is
 * logged and answered `false`, never thrown. Undefined when there is no invitation to mail.
 */
export async function mailFirstOwnerInvitation(
  platform: ControlPlane,
  tenant: Pick<TenantRecord, 'id' | 'name' | 'display_name'>,
  outcome: OwnerOutcome,
  actorUserId: string | null,
  { linkShown }: { linkShown: boolean },
): Promise<boolean | undefined> {
  const invitation = outcome.invitation;
  if (!invitation) return undefined;
  const inviter = actorUserId ? platform.users.findById(actorUserId)?.name : undefined;
  const mailed = await sendOwnerInvitationMail(platform, tenant, { email: invitation.email, url: invitation.url, expiresAt: invitation.expiresAt }, inviter);
  pausePoint('owner-invitation:mailed');
  if (mailed || linkShown) platform.tenants.settleOwnerMail(tenant.id, normaliseEmail(invitation.email));
  return mailed;
}
