import { z } from 'zod';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { ControlPlane } from '../control-plane';
import { createInvitation, type CreatedInvitation } from '../invitations/create-invitation';
import { sendOwnerInvitationMail } from '../invitations/invitation-mail';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { emailSchema } from '../users/password-rules';
import { repeatAsker, type Operator } from './operator';
import { auditedOperator } from '../audit/operator';
import { ensureTeamRoom } from '../plans/team-limits';
import { OPERATOR } from '../../tenant-runtime/limit-check';
import { joinTenant } from '../memberships/join-tenant';
import { recordsJustMade } from '../audit/recent-records';
import { isDoubleSubmit } from '../../core/http/double-submit';
import { pausePoint } from '../../core/process/pause-point';

export const addOwnerSchema = z.object({ email: emailSchema });

/** Tenants that can take an owner: live ones (a suspended or damaged tenant still belongs to someone). */
const OWNABLE = new Set(['active', 'suspended', 'damaged']);

export interface AddedOwner {
  tenant: TenantRecord;
  /** An existing account, now an owner (it may have been a member with another role). */
  ownerAdded?: string;
  previousRole?: string;
  alreadyOwner?: boolean;
  /** A new address: an owner invitation, mailed and shown once. */
  invitation?: CreatedInvitation & { email: string; mailed: boolean };
  /** The same invitation sent again from the console moments after (a double click): nothing made or mailed, the first one's link stands. */
  invitationRepeated?: boolean;
  /** With invitationRepeated: the pending invitation the first one made (its link is never stored). */
  repeatedInvitation?: { id: string; email: string; expiresAt: number };
}

export interface AddOwnerOptions {
  /**
   * Runs inside the write that adds the owner or the invitation, with the outcome as written (an
   * invitation not yet mailed): the admin API stores its answer there (decision 024).
   */
  whenWritten?: (added: AddedOwner) => void;
}

/**
 * A super admin gives any tenant an owner, for a tenant created without one or whose owner
 * link was lost: an existing account becomes owner at once (in one transaction with its audit
 * record, and within the plan's members limit when it was not a member yet); a new address gets
 * an owner invitation (a pending one for the same address is replaced, so only the new link
 * works), mailed and shown once, and the members limit is checked when it is accepted. The same
 * invitation sent again from the console form moments after (a double click) replaces nothing and
 * mails nothing: the first one's link, mailed and shown, stays the one that works.
 */
export async function addOwner(
  platform: ControlPlane,
  tenantId: string,
  input: unknown,
  operator: Operator,
  { whenWritten = () => undefined }: AddOwnerOptions = {},
): Promise<AddedOwner> {
  const { email } = parseInput(addOwnerSchema, input);
  const tenant = platform.tenants.findById(tenantId);
  if (!tenant) throw new NotFoundError('No such tenant.');
  if (!OWNABLE.has(tenant.status)) throw new ConflictError(`Tenant ${tenant.slug} is ${statusWords(tenant.status)}; owners are added to live tenants only.`);
  const owner = platform.roles.findPredefined('owner');
  if (!owner) throw new Error('predefined role owner is missing');
  const user = platform.users.findByEmail(email);
  const audit = { ...auditedOperator(operator), tenantId };

  if (user) {
    if (user.status !== 'active') throw ValidationError.single('email', 'belongs to an account that is not active');
    const added = platform.db.write(() => {
      // The account is the owner now: a first owner's invitation to it still to be mailed is not.
      platform.tenants.settleOwnerMail(tenantId, email);
      const before = platform.memberships.findMemberOfUser(user.id, tenantId);
      if (before?.role_key === 'owner' && before.role_is_predefined) return { tenant, ownerAdded: user.email, alreadyOwner: true };
      // A new member counts against the plan's members limit; a member who becomes owner does not.
      if (!before) ensureTeamRoom(platform, tenantId, 'members', 1, OPERATOR);
      // The tenant's webhooks hear of a new member once this commits, as for an invitation accepted.
      joinTenant(platform, { userId: user.id, email: user.email, tenantId, roleId: owner.id }, 'super_admin');
      platform.audit.record({
        ...audit,
        action: 'membership.add',
        targetType: 'user',
        targetId: user.id,
        before: before ? { role: before.role_key } : undefined,
        after: { role: 'owner', by: 'super admin' },
      });
      const outcome = { tenant, ownerAdded: user.email, previousRole: before?.role_name };
      whenWritten(outcome);
      return outcome;
    });
    return added;
  }

  // A first owner's invitation still to be mailed to this address is replaced by this one: no repair mails it any more.
  const created = platform.db.write(() => {
    const repeated = ownerJustInvited(platform, tenantId, email, operator);
    if (repeated) return { repeated };
    platform.tenants.settleOwnerMail(tenantId, email);
    const invitation = createInvitation(platform, {
      tenantId,
      email,
      roleId: owner.id,
      invitedBy: operator.userId,
      by: auditedOperator(operator),
      replacePending: true,
      via: 'add-owner',
    });
    whenWritten({ tenant, invitation: { ...invitation, email, mailed: false } });
    return { invitation };
  });
  if ('repeated' in created) return { tenant, invitationRepeated: true, repeatedInvitation: created.repeated };
  pausePoint('owner-invitation:written');
  const inviter = operator.userId ? platform.users.findById(operator.userId)?.name : undefined;
  const { invitation } = created;
  const mailed = await sendOwnerInvitationMail(platform, tenant, { email, url: invitation.url, expiresAt: invitation.expiresAt }, inviter);
  return { tenant, invitation: { ...invitation, email, mailed } };
}

/**
 * The address's pending invitation when this Add owner is the one the same super admin sent moments
 * ago (a double click at the console, or the same API call sent again without a key by the same
 * token): it was made by an Add owner of theirs within DOUBLE_SUBMIT_MS, as its record says, from
 * the console or with the same token. The invitation a creation gave its first owner is not one:
 * an Add owner sent right after the creation (its link lost, its mail failed) sends a new one.
 * The CLI, and an operator that is neither, never repeats.
 */
function ownerJustInvited(
  platform: ControlPlane,
  tenantId: string,
  email: string,
  operator: Operator,
): { id: string; email: string; expiresAt: number } | undefined {
  const asker = repeatAsker(operator);
  const pending = platform.invitations.findPending(tenantId, email);
  if (!asker || !pending || pending.invited_by !== asker.actorUserId || !isDoubleSubmit(pending.created_at)) return undefined;
  const records = recordsJustMade(platform.db, { ...asker, action: 'invitation.create', tenantId, target: { type: 'invitation', id: pending.id } });
  return records.some((record) => record.after.via === 'add-owner') ? { id: pending.id, email: pending.email, expiresAt: pending.expires_at } : undefined;
}
