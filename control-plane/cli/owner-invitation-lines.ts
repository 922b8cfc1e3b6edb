import { printable, type CliContext } from '../../core/cli/cli-io';
import type { CreatedInvitation } from '../invitations/create-invitation';

/** A new owner's invitation as the commands that make one print it (`--json` too): its link shown once, and whether it was mailed. */
export interface OwnerInvitationJson {
  email: string;
  url: string;
  expires_at: string;
  mailed: boolean;
}

export function ownerInvitationJson(invitation: CreatedInvitation & { email: string; mailed?: boolean }): OwnerInvitationJson {
  return {
    email: invitation.email,
    url: invitation.url,
    expires_at: new Date(invitation.expiresAt).toISOString(),
    mailed: Boolean(invitation.mailed),
  };
}

/**
 * The same lines wherever an owner invitation is made (create, import, add-owner): a mail that
 * did not go out is said in words, not only by a missing "(mailed)", since the link printed is
 * then the only way the owner gets in.
 */
export function printOwnerInvitation(ctx: CliContext, invitation: OwnerInvitationJson): void {
  ctx.out(`Owner invitation for ${printable(invitation.email)}, expires ${invitation.expires_at}${invitation.mailed ? ' (mailed)' : ''}.`);
  if (!invitation.mailed) ctx.out('The invitation could not be mailed: send the link yourself.');
  ctx.out(invitation.mailed ? 'This link is shown once and is not stored:' : 'This link is shown once and is not stored; send it to the owner now:');
  ctx.out(`  ${invitation.url}`);
}
