import { printable, type CliContext } from '../../core/cli/cli-io';
import { outboxDir } from '../../core/mail/mailer';
import type { ControlPlane } from '../control-plane';
import type { CreatedInvitation } from '../invitations/create-invitation';
import { formatUtcTime } from '../../core/time/utc-time';

/** A new owner's invitation as the commands that make one print it (`--json` too, its expiry in ISO): its link shown once, and whether it was mailed. */
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

/** The folder mail is written to when no SMTP server is configured, or undefined when mail goes out. */
export function mailOutbox(platform: Pick<ControlPlane, 'mailer' | 'config'>): string | undefined {
  return platform.mailer.transport === 'outbox' ? outboxDir(platform.config.dataDir) : undefined;
}

/**
 * The same lines wherever an owner invitation is made (create, import, add-owner): a mail that
 * did not go out is said in words, not only by a missing "(mailed)", since the link printed is
 * then the only way the owner gets in. Without SMTP_URL the mail was written to `outbox`, which
 * is said instead of "(mailed)": nobody receives it there.
 */
export function printOwnerInvitation(ctx: CliContext, invitation: OwnerInvitationJson, outbox?: string): void {
  const mailed = invitation.mailed ? (outbox ? ` (written to ${printable(outbox)}: no SMTP_URL is set, so no mail goes out)` : ' (mailed)') : '';
  ctx.out(`Owner invitation for ${printable(invitation.email)}, expires ${formatUtcTime(Date.parse(invitation.expires_at))}${mailed}.`);
  if (!invitation.mailed) ctx.out('The invitation could not be mailed: send the link yourself.');
  ctx.out(invitation.mailed && !outbox ? 'This link is shown once and is not stored:' : 'This link is shown once and is not stored; send it to the owner now:');
  ctx.out(`  ${invitation.url}`);
}
