import { shownName } from '../tenants/shown-name';
import { z } from 'zod';
import type { ControlPlane } from '../control-plane';
import { ValidationError } from '../../core/errors/app-errors';
import { parseInput } from '../../core/http/parse-input';
import type { ActingMember } from '../audit/tenant-actor';
import { emailSchema } from '../users/password-rules';
import { roleIdSchema } from '../roles/role-schemas';
import { assertCanGrant } from '../roles/grant-rules';
import type { RoleRecord } from '../roles/role-repository';
import { createInvitation } from './create-invitation';
import { currentState, InvitationRepository } from './invitation-repository';
import { sendInvitationMail } from './invitation-mail';

export const MAX_EMAILS_AT_ONCE = 50;

export const inviteSchema = z.object({
  emails: z.string({ error: 'is required' }).max(20000, { error: 'is too long' }),
  role_id: roleIdSchema,
});

export interface SentInvitation {
  id: string;
  email: string;
  url: string;
  expiresAt: number;
  mailed: boolean;
}

/** Splits the text area (commas, semicolons, spaces or new lines) and checks each address; a 400 names the first bad one. */
export function parseEmailList(text: string): string[] {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (!parts.length) throw ValidationError.single('emails', 'is required: enter at least one address');
  if (parts.length > MAX_EMAILS_AT_ONCE) throw ValidationError.single('emails', `may hold at most ${MAX_EMAILS_AT_ONCE} addresses at once`);
  const emails = parts.map((part) => {
    const parsed = emailSchema.safeParse(part);
    if (!parsed.success) throw ValidationError.single('emails', `contains "${part.slice(0, 80)}", which is not a valid email address`);
    return parsed.data;
  });
  return [...new Set(emails)];
}

/** Checks every address and the role before anything is written, so a 400 leaves no half-sent batch. */
function checkBatch(platform: ControlPlane, actor: ActingMember, input: unknown): { emails: string[]; role: RoleRecord } {
  const parsed = parseInput(inviteSchema, input);
  const emails = parseEmailList(parsed.emails);
  const role = platform.roles.findForTenant(parsed.role_id, actor.tenantId);
  if (!role) throw ValidationError.single('role_id', 'must be one of the roles offered');
  assertCanGrant(actor.permissions, platform.access.permissionsOfRole(role.id), `invite people as ${role.name}`);
  const repo = new InvitationRepository(platform.db);
  for (const email of emails) {
    const user = platform.users.findByEmail(email);
    if (user && platform.memberships.findActive(user.id, actor.tenantId)) throw ValidationError.single('emails', `contains ${email}, who is already a member`);
    const pending = repo.findPending(actor.tenantId, email);
    if (pending && currentState(pending) === 'pending') {
      throw ValidationError.single('emails', `contains ${email}, who already has a pending invitation (resend it from the list below)`);
    }
  }
  return { emails, role };
}

/** Invites one or several emails with a role: each gets a link (shown once to the inviter) and a mail. */
export async function inviteMembers(platform: ControlPlane, actor: ActingMember, input: unknown): Promise<SentInvitation[]> {
  const { emails, role } = checkBatch(platform, actor, input);
  const tenant = platform.tenants.findById(actor.tenantId);
  const inviter = platform.users.findById(actor.userId);
  const sent: SentInvitation[] = [];
  for (const email of emails) {
    const created = createInvitation(platform, {
      tenantId: actor.tenantId,
      email,
      roleId: role.id,
      invitedBy: actor.userId,
      ip: actor.ip,
      userAgent: actor.userAgent,
    });
    const mailed = await sendInvitationMail(platform, {
      email,
      url: created.url,
      expiresAt: created.expiresAt,
      tenantName: tenant ? shownName(tenant) : '',
      roleName: role.name,
      inviterName: inviter?.name ?? 'Someone',
    });
    sent.push({ id: created.id, email, url: created.url, expiresAt: created.expiresAt, mailed });
  }
  return sent;
}
