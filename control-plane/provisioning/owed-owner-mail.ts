import type { ControlPlane } from '../control-plane';
import { pausePoint } from '../../core/process/pause-point';
import { invitationExpiry, invitationUrl } from '../invitations/create-invitation';
import { sendOwnerInvitationMail } from '../invitations/invitation-mail';
import { newInvitationToken } from '../invitations/invitation-token';
import { tryTenantLock } from '../lifecycle/tenant-lock';

/** Where a first owner's invitation may be owed its mail (tenant-repository.ts: listOwingOwnerMail). */
const OWING = new Set(['active', 'suspended', 'damaged']);

export interface OwedOwnerMail {
  tenantId: string;
  slug: string;
  email: string;
  /** `mailed`: a new link went out; `settled`: nothing left to mail (accepted, revoked, replaced); `failed`: still owed. */
  outcome: 'owed' | 'mailed' | 'settled' | 'failed';
}

/**
 * Live tenants whose first owner's invitation was made when they became active and never mailed:
 * the process that made it stopped before the mail (a tenant still locked is being created now,
 * and is left to that process). Its link was never shown and cannot be read back (only its hash is
 * stored), so with `fix` the invitation gets a new link, committed before it is mailed; the mail
 * is no longer owed once sent. A process stopped at any point leaves it owed, and the next repair
 * mails another new link: the owner may get two mails then, only the last one's link works. An
 * invitation no longer pending (accepted, revoked, replaced by Add owner) owes nothing.
 */
export async function mailOwedOwnerInvitations(platform: ControlPlane, options: { fix: boolean }): Promise<OwedOwnerMail[]> {
  const done: OwedOwnerMail[] = [];
  for (const row of platform.tenants.listOwingOwnerMail()) {
    const lock = tryTenantLock(platform.config.dataDir, row.id);
    if (!lock) continue;
    try {
      if (!options.fix) done.push({ tenantId: row.id, slug: row.slug, email: row.pending_owner_email ?? '', outcome: 'owed' });
      else {
        const mailed = await mailAgain(platform, row.id);
        if (mailed) done.push(mailed);
      }
    } finally {
      lock.release({ remove: true });
    }
  }
  return done;
}

async function mailAgain(platform: ControlPlane, tenantId: string): Promise<OwedOwnerMail | undefined> {
  const { token, hash } = newInvitationToken();
  const expiresAt = invitationExpiry(platform);
  const renewed = platform.db.write(() => {
    // Read again in the write: the live process or Add owner may have settled it meanwhile.
    const tenant = platform.tenants.findById(tenantId);
    const email = tenant?.pending_owner_email;
    if (!tenant || !email || !OWING.has(tenant.status)) return undefined;
    const invitation = platform.invitations.findPending(tenant.id, email);
    if (!invitation || invitation.role_id !== platform.roles.findPredefined('owner')?.id) {
      platform.tenants.settleOwnerMail(tenant.id, email);
      return { tenant, email, renewed: false };
    }
    platform.invitations.replaceToken(invitation.id, hash, expiresAt);
    platform.audit.record({
      action: 'invitation.resend',
      actorUserId: null,
      tenantId: tenant.id,
      targetType: 'invitation',
      targetId: invitation.id,
      before: { expiresAt: invitation.expires_at },
      after: { expiresAt, reason: "the first owner's invitation was never mailed" },
    });
    return { tenant, email, renewed: true, inviter: invitation.invited_by };
  });
  if (!renewed) return undefined;
  const { tenant, email } = renewed;
  const found = { tenantId: tenant.id, slug: tenant.slug, email };
  if (!renewed.renewed) return { ...found, outcome: 'settled' };
  pausePoint('owner-invitation:renewed');
  const inviter = renewed.inviter ? platform.users.findById(renewed.inviter)?.name : undefined;
  const mailed = await sendOwnerInvitationMail(platform, tenant, { email, url: invitationUrl(platform, token), expiresAt }, inviter);
  if (!mailed) return { ...found, outcome: 'failed' };
  pausePoint('owner-invitation:mailed');
  platform.tenants.settleOwnerMail(tenant.id, email);
  return { ...found, outcome: 'mailed' };
}
