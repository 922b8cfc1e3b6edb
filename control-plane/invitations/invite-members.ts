import { ensureTeamRoom } from '../plans/team-limits';
import { pausePoint } from '../../core/process/pause-point';
import { roleNameValue } from '../roles/predefined-roles';
import { msg } from '../../core/i18n/message';
import { shownName } from '../tenants/shown-name';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { offeredRole } from '../roles/offered-role';
import { ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import { auditedBy, type ActingMember } from '../audit/tenant-actor';
import { emailSchema } from '../users/password-rules';
import { roleIdSchema } from '../roles/role-schemas';
import { assertCanGrant } from '../roles/grant-rules';
import type { RoleRecord } from '../roles/role-repository';
import { insertInvitation, stillPending, type CreatedInvitation } from './create-invitation';
import { sendInvitationMail } from './invitation-mail';
import type { WorkspaceLocale } from '../../core/i18n/workspace-locale';
import type { InvitationRecord } from './invitation-repository';
import { invitationsJustSent } from './repeated-invitation';

export const MAX_EMAILS_AT_ONCE = 50;

export const inviteSchema = z.object({
  emails: z.string({ error: msg('is required') }).max(20000, { error: msg('is too long') }),
  role_id: roleIdSchema,
});

export interface SentInvitation {
  id: string;
  email: string;
  url: string;
  expiresAt: number;
  mailed: boolean;
}

/**
 * What an invitation batch did: sent these invitations (their links shown this once), or, for the
 * same batch sent again moments later by the same member, nothing: `repeated` holds the
 * invitations the first one made, whose links and mails were that one's.
 */
export type InviteOutcome = { sent: SentInvitation[]; repeated?: undefined } | { repeated: InvitationRecord[]; sent?: undefined };

/**
 * The refusal for an address that already has a pending invitation, saying how to send that one
 * again: where it was asked for has its own way (the page's list, the API's resend operation).
 */
export type AlreadyInvited = (email: string, invitationId: string) => string;

/** The page's wording: its list of pending invitations, below the form, has a Resend button on each. */
export const resendFromTheList: AlreadyInvited = (email) =>
  msg('contains {{email}}, who already has a pending invitation (resend it from the list below)', { email });

/** What a batch does beside writing: `whenWritten` (see inviteMembers), and the wording of an address already invited. */
export interface InviteOptions {
  whenWritten?: (sent: SentInvitation[]) => void;
  alreadyInvited?: AlreadyInvited;
}

/** Splits the text area (commas, semicolons, spaces or new lines) and checks each address; a 400 names the first bad one. */
export function parseEmailList(text: string): string[] {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) throw ValidationError.single('emails', msg('is required: enter at least one address'));
  if (parts.length > MAX_EMAILS_AT_ONCE)
    throw ValidationError.single('emails', msg('may hold at most {{count}} addresses at once', { count: MAX_EMAILS_AT_ONCE }));
  const emails = parts.map((part) => {
    const parsed = emailSchema.safeParse(part);
    if (!parsed.success)
      throw ValidationError.single('emails', msg('contains “{{address}}”, which is not a valid email address', { address: part.slice(0, 80) }));
    return parsed.data;
  });
  return [...new Set(emails)];
}

/** Checks the input and the role; reads only, so a 400 or 403 here leaves nothing written. */
function checkInput(platform: ControlPlane, actor: ActingMember, input: unknown): { emails: string[]; role: RoleRecord } {
  const parsed = parseInput(inviteSchema, input);
  const emails = parseEmailList(parsed.emails);
  const role = offeredRole(platform, parsed.role_id, actor.tenantId);
  assertCanGrant(actor.permissions, platform.access.permissionsOfRole(role.id), msg('invite people as {{role}}', { role: roleNameValue(role.key, role.name) }));
  return { emails, role };
}

/**
 * The batch in one write, all or nothing: every address is checked (not a member, no invitation
 * still pending) and the plan's limit counted under the lock, then every invitation is inserted.
 * Two batches sent at once are taken one after the other: the second is answered as if sent later,
 * and the same batch (the same addresses, no more and no fewer, and role) sent again by the same
 * member moments later writes nothing (repeated-invitation.ts).
 */
function writeBatch(
  platform: ControlPlane,
  actor: ActingMember,
  emails: string[],
  role: RoleRecord,
  { whenWritten = () => undefined, alreadyInvited = resendFromTheList }: InviteOptions,
): CreatedInvitation[] | { repeated: InvitationRecord[] } {
  return platform.db.write(() => {
    const repeated = invitationsJustSent(platform, actor, emails, role.id);
    if (repeated) return { repeated };
    for (const email of emails) {
      const user = platform.users.findByEmail(email);
      if (user && platform.memberships.findActive(user.id, actor.tenantId))
        throw ValidationError.single('emails', msg('contains {{email}}, who is already a member', { email }));
      const pending = stillPending(platform, actor.tenantId, email);
      if (pending) throw ValidationError.single('emails', alreadyInvited(email, pending.id));
    }
    ensureTeamRoom(platform, actor.tenantId, 'pending_invitations', emails.length, actor.role?.key);
    // One instant for the whole batch: a batch sent again is told from another by it (repeated-invitation.ts).
    const createdAt = Date.now();
    const created = emails.map((email) =>
      insertInvitation(platform, {
        tenantId: actor.tenantId,
        email,
        roleId: role.id,
        invitedBy: actor.userId,
        by: auditedBy(actor),
        createdAt,
      }),
    );
    whenWritten(created.map(({ id, url, expiresAt }, i) => ({ id, email: emails[i], url, expiresAt, mailed: false })));
    return created;
  });
}

/**
 * Invites one or several emails with a role: each gets a link (shown once to the inviter) and a mail, sent once the batch is written,
 * in the invitee's own language if they have an account that chose one, else the workspace's, with the expiry in the workspace's time zone.
 * `whenWritten` runs inside the batch's write, with the invitations as not yet mailed: the API stores its answer there (decision 024).
 * An address already invited is refused in the words of `alreadyInvited` (the page's by default).
 * The same batch sent again by the same member moments later (a double click) writes and mails nothing: see InviteOutcome.
 */
export async function inviteMembers(
  platform: ControlPlane,
  actor: ActingMember,
  input: unknown,
  workspace: WorkspaceLocale,
  options: InviteOptions = {},
): Promise<InviteOutcome> {
  const { emails, role } = checkInput(platform, actor, input);
  const created = writeBatch(platform, actor, emails, role, options);
  if (!Array.isArray(created)) return created;
  pausePoint('invitations:written');
  const tenant = platform.tenants.findById(actor.tenantId);
  const inviter = platform.users.findById(actor.userId);
  const sent: SentInvitation[] = [];
  for (const [i, email] of emails.entries()) {
    const { id, url, expiresAt } = created[i];
    const mailed = await sendInvitationMail(platform, {
      tenantId: actor.tenantId,
      invitationId: id,
      email,
      url,
      expiresAt,
      tenantName: tenant ? shownName(tenant) : '',
      roleName: roleNameValue(role.key, role.name),
      inviterName: inviter?.name ?? '',
      language: workspace.language,
      timeZone: workspace.timeZone,
    });
    sent.push({ id, email, url, expiresAt, mailed });
  }
  return { sent };
}
