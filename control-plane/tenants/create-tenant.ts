import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { parseInput } from '../../core/http/parse-input';
import { emailSchema } from '../users/password-rules';
import { newTenantSchema, provisionDeps, provisionTenant } from '../provisioning/provision-tenant';
import { giveFirstOwner, mailFirstOwnerInvitation, ownerActivation, type OwnerOutcome } from '../provisioning/owner-activation';
import type { CreatedInvitation } from '../invitations/create-invitation';
import type { TenantRecord } from './tenant-record';
import { normaliseEmail } from '../users/user-repository';
import { ValidationError } from '../../core/errors/app-errors';
import { repeatedCreation, type CreationAsker } from './repeated-creation';

export const createTenantSchema = newTenantSchema.extend({
  owner_email: z.union([emailSchema, z.literal('').transform(() => undefined)], { error: 'must be a valid email address' }).optional(),
});

export interface CreatedTenant {
  tenant: TenantRecord;
  /** Set when the first owner already had an account and was added at once. */
  ownerAdded?: string;
  /** Set when the first owner is new: the link is shown once and never stored; `mailed` says whether its mail went out (unset when none was sent). */
  invitation?: CreatedInvitation & { email: string; mailed?: boolean };
  /**
   * Set when this was the creation just asked for again by the same person (a double click, a form
   * sent again): nothing was made, `tenant` is what the first one made, and this says its first
   * owner (the invitation's link went to the first answer only and is not kept).
   */
  repeated?: FirstOwnerFound;
}

/**
 * The super admin's "new tenant": provision the file and give it its first owner (an existing
 * user joins at once, a new email gets an invitation link) in the transaction that makes it
 * active: all or nothing. The owner is kept on the row meanwhile, so a crash half-way is
 * finished with the same owner by the next start. Once it is active, a new owner's invitation
 * is mailed, as Add owner mails one, and its link is also shown once; a mail that fails fails
 * no creation (`invitation.mailed` says so). The same creation asked again by the same person
 * moments later (a double click, even while the first runs) makes nothing and is answered with
 * the first one's tenant (`repeated`), not with "the slug is taken" by its own effect; from the
 * API, only when the same token sent both (two scripts of one admin make two requests).
 */
export async function createTenant(platform: ControlPlane, input: unknown, asker: CreationAsker): Promise<CreatedTenant> {
  const parsed = parseInput(createTenantSchema, input);
  const asked = { slug: parsed.slug, name: parsed.name, ownerEmail: parsed.owner_email };
  const actorUserId = asker.userId;
  const before = await repeatedCreation(platform, asked, asker);
  if (before) return { tenant: before, repeated: firstOwnerFound(platform, before, parsed.owner_email) };
  const outcome: OwnerOutcome = {};
  let owner: Omit<CreatedTenant, 'tenant'> = {};
  try {
    const tenant = await provisionTenant(
      provisionDeps(platform, {
        activate: ownerActivation(platform, asker, outcome),
        ownerEmail: parsed.owner_email,
        createdBy: { userId: actorUserId },
        whenActive: async (active) => {
          owner = await withOwnerMail(platform, active, outcome, actorUserId);
        },
      }),
      parsed,
    );
    return { tenant, ...owner };
  } catch (error) {
    // The first of the two took the slug between the look above and this one's row.
    const first = error instanceof ValidationError ? await repeatedCreation(platform, asked, asker) : undefined;
    if (!first) throw error;
    return { tenant: first, repeated: firstOwnerFound(platform, first, parsed.owner_email) };
  }
}

/** What a finished creation shows of its first owner when it is found again (its answer lost): who joined, or that an invitation waits. */
export interface FirstOwnerFound {
  /** The owner's address, when the named owner is now a member of the tenant. */
  ownerAdded?: string;
  /** An invitation to the named owner is pending: its link was shown once and is not kept, so it must be sent again for a new one. */
  invitationPending?: boolean;
}

/**
 * The first owner of a creation found done after it was cut off (decision 024): the account named
 * as owner that is now a member, or the pending invitation to that address. The link of that
 * invitation is never stored: whoever asked learns it must be sent again, never a missing field.
 */
export function firstOwnerFound(platform: ControlPlane, tenant: Pick<TenantRecord, 'id'>, ownerEmail: unknown): FirstOwnerFound {
  if (typeof ownerEmail !== 'string' || !ownerEmail) return {};
  const email = normaliseEmail(ownerEmail);
  const user = platform.users.findByEmail(email);
  const member = user && platform.memberships.findMemberOfUser(user.id, tenant.id);
  if (user && member) return { ownerAdded: user.email };
  return platform.invitations.findPending(tenant.id, email) ? { invitationPending: true } : {};
}

/**
 * A provisioning's owner outcome once the tenant is active, its new owner's invitation mailed (the
 * caller still holds the tenant's lock) and its link then shown to whoever asked.
 */
export async function withOwnerMail(
  platform: ControlPlane,
  tenant: TenantRecord,
  outcome: OwnerOutcome,
  actorUserId: string | null,
): Promise<Omit<CreatedTenant, 'tenant'>> {
  const mailed = await mailFirstOwnerInvitation(platform, tenant, outcome, actorUserId, { linkShown: true });
  return { ownerAdded: outcome.ownerAdded, invitation: outcome.invitation && { ...outcome.invitation, mailed } };
}

/**
 * The first owner of a tenant made another way (an import), for the transaction that marks it
 * active: an existing user joins at once as owner, a new email gets an invitation link (shown
 * once). `found` says which happened once the tenant is active.
 */
export function firstOwner(platform: ControlPlane, email: string | undefined, actorUserId: string | null) {
  const found: OwnerOutcome = {};
  const activate = (tenant: Pick<TenantRecord, 'id'>) => {
    if (email) giveFirstOwner(platform, tenant, email, { userId: actorUserId }, found);
  };
  return { activate, found };
}
