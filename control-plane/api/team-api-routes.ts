import { z } from 'zod';
import { apiRoleIdField } from '../roles/role-schemas';
import { NotFoundError } from '../../core/errors/app-errors';
import { msg } from '../../core/i18n/message';
import type { Request } from 'express';
import { keyScope, principalOf, runIdempotentAsync, runIdempotent, type IdempotencyScope } from '../../core/http/idempotent';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { inviteMembers, MAX_EMAILS_AT_ONCE, type SentInvitation } from '../invitations/invite-members';
import { parseInput, parseQuery } from '../../core/http/parse-input';
import { cursorPosition, pageOf, pageQuery } from '../../core/http/page-query';
import { MEMBER_CURSOR_LENGTH, memberCursor, parseMemberCursor } from '../memberships/member-position';
import { resendInvitation, revokeInvitation } from '../invitations/manage-invitation';
import { currentState, type InvitationRecord } from '../invitations/invitation-repository';
import { INVITATION_CURSOR_LENGTH, invitationCursor, parseInvitationCursor } from '../invitations/invitation-position';
import { apiLimit } from '../api-tokens/api-rate-limit';
import { memberApiRoutes, memberJson, memberSchema } from './member-api-routes';
import { roleApiRoutes } from './role-api-routes';

const iso = (ms: number) => new Date(ms).toISOString();
const memberPageSchema = z.object({ data: z.array(memberSchema), next_cursor: z.string().nullable() });
const memberListQuerySchema = z.object(pageQuery(100, MEMBER_CURSOR_LENGTH));
const invitationSchema = z.object({
  id: z.string(),
  email: z.string(),
  role_id: z.number().int(),
  state: z.string(),
  invited_by: z
    .string()
    .nullable()
    .describe('The id of the user who sent it (a member, or a super admin for an owner invitation); null for one no user sent (the command line)'),
  expires_at: z.string(),
  accepted_at: z.string().nullable().describe('When it was accepted; null while it is not'),
  created_at: z.string(),
});
const invitationPageSchema = z.object({ data: z.array(invitationSchema), next_cursor: z.string().nullable() });
const invitationListQuerySchema = z.object(pageQuery(100, INVITATION_CURSOR_LENGTH));
const sentSchema = z.object({
  id: z.string(),
  email: z.string(),
  url: z
    .string()
    .optional()
    .describe(
      'The invitation link, shown this once: absent from the answer to the same invitations asked for again moments later, whose first answer holds it',
    ),
  expires_at: z.string(),
  mailed: z.boolean().optional().describe('Whether the mail left; absent, as `url`, from the answer to the same invitations asked for again'),
});
/** What the API accepts: the page's form, with the addresses as a list too; nothing else (strict, as every API body). */
export const inviteBodySchema = z.strictObject({
  emails: z.union([z.string(), z.array(z.string())], { error: 'must be addresses: one string, or a list of strings' }).transform((v, ctx) => {
    if (!Array.isArray(v)) return v;
    if (v.length > MAX_EMAILS_AT_ONCE) {
      ctx.addIssue({ code: 'custom', message: `may hold at most ${MAX_EMAILS_AT_ONCE} addresses at once` });
      return z.NEVER;
    }
    return v.join(',');
  }),
  role_id: apiRoleIdField,
});
const invitationParams = z.object({ slug: z.string(), id: z.string().regex(/^i[0-9a-f]{24}$/) });

function sentJson(s: SentInvitation) {
  return { id: s.id, email: s.email, url: s.url, expires_at: iso(s.expiresAt), mailed: s.mailed };
}

function invitationIdOf(req: Request): string {
  const id = req.params.id;
  if (typeof id !== 'string') throw new NotFoundError();
  return id;
}

function invitationJson(i: InvitationRecord) {
  return {
    id: i.id,
    email: i.email,
    role_id: i.role_id,
    state: currentState(i),
    invited_by: i.invited_by,
    expires_at: iso(i.expires_at),
    accepted_at: i.accepted_at === null ? null : iso(i.accepted_at),
    created_at: iso(i.created_at),
  };
}

/**
 * The team's operations write the control plane (invitations), so their keys are kept there, in
 * the transaction of the work (decision 024), per tenant and token (or user): a key used in two
 * workspaces is two keys, as when they lived in each tenant's file.
 */
export function teamScope(platform: ControlPlane, tenant: { id: string }, req: Request): IdempotencyScope {
  return keyScope(platform.db, `${tenant.id}/${principalOf(req)}`, platform.config);
}

/** The team over the REST API: members to read, members' roles to change and members to remove, roles (role-api-routes.ts), invitations to list, send, resend and revoke (the pages' commands and rules). */
export function teamApiRoutes(table: TenantRouteTable, platform: ControlPlane): void {
  const sendLimit = apiLimit({ limit: 100, windowMs: 15 * 60_000, message: 'Too many invitations sent in a short time. Wait a few minutes and try again.' });

  table.get(
    '/members',
    {
      permission: 'team.view',
      answers: 'json',
      doc: {
        summary: 'List members, highest role first, then by name',
        tags: ['Team'],
        query: memberListQuerySchema,
        responses: { 200: { description: 'A page of members', schema: memberPageSchema } },
      },
    },
    (ctx, req, res) => {
      const { limit, cursor } = parseQuery(memberListQuerySchema, req.query);
      const after = cursorPosition(cursor, parseMemberCursor);
      const { page, nextCursor } = pageOf(platform.memberships.pageOfMembers(ctx.tenant.id, limit + 1, { after }), limit, memberCursor);
      res.json({
        data: page.map(memberJson),
        next_cursor: nextCursor,
      });
    },
  );

  memberApiRoutes(table, platform, (tenant, req) => teamScope(platform, tenant, req));

  roleApiRoutes(table, platform, (ctx, req) => teamScope(platform, ctx.tenant, req));

  table.get(
    '/invitations',
    {
      permission: 'team.invite',
      answers: 'json',
      doc: {
        summary: 'List invitations, newest first',
        tags: ['Team'],
        query: invitationListQuerySchema,
        responses: { 200: { description: 'A page of invitations, newest first', schema: invitationPageSchema } },
      },
    },
    (ctx, req, res) => {
      const { limit, cursor } = parseQuery(invitationListQuerySchema, req.query);
      const after = cursorPosition(cursor, parseInvitationCursor);
      const { page, nextCursor } = pageOf(platform.invitations.pageForTenant(ctx.tenant.id, limit + 1, { after }), limit, invitationCursor);
      res.json({ data: page.map(invitationJson), next_cursor: nextCursor });
    },
  );

  table.post(
    '/invitations',
    {
      permission: 'team.invite',
      answers: 'json',
      before: [sendLimit],
      doc: {
        summary: 'Invite people',
        description:
          "Each address gets a link by mail; the links are also in the answer, this once. Nobody hands out a role with more than their own. Exactly the same addresses (no more, no fewer) and role as one request of the same caller within seconds before are answered with the invitations that request made, without their links, and nothing is sent again; a part of them is refused as already invited. An address with a pending invitation is refused with 400 naming that invitation's id and its resend operation.",
        tags: ['Team'],
        body: inviteBodySchema,
        idempotent: true,
        responses: { 201: { description: 'The invitations sent', schema: z.object({ data: z.array(sentSchema) }) } },
      },
    },
    (ctx, req, res) =>
      runIdempotentAsync(teamScope(platform, ctx.tenant, req), req, res, async (answerWithEffect) => {
        const answer = (sent: SentInvitation[]) => ({ data: sent.map(sentJson) });
        // The answer is stored with the invitations (not yet mailed), then replaced once they are: a retry never invites twice.
        const { sent, repeated } = await inviteMembers(platform, ctx.actor, parseBody(req.body), ctx.branding, {
          whenWritten: (written) => answerWithEffect(201, answer(written)),
          // There is no list in an answer: the refusal names the pending invitation and the operation that sends it again.
          alreadyInvited: (email, id) =>
            msg('contains {{email}}, who already has a pending invitation ({{id}}): resend it with POST /api/v1/t/{{slug}}/invitations/{{id}}/resend', {
              email,
              id,
              slug: ctx.tenant.slug,
            }),
        });
        // The same invitations asked for again moments later (a retry without a key) are answered with what the first made, without its links.
        if (repeated) return res.status(201).json({ data: repeated.map((i) => ({ id: i.id, email: i.email, expires_at: iso(i.expires_at) })) });
        res.status(201).json(answer(sent));
      }),
  );

  table.post(
    '/invitations/:id/resend',
    {
      permission: 'team.invite',
      answers: 'json',
      before: [sendLimit],
      doc: {
        summary: 'Resend an invitation',
        description:
          'A new link with a fresh expiry, mailed and in the answer this once, for a pending or expired invitation; the old link stops working at once. 409 for one accepted or revoked (send a new one).',
        tags: ['Team'],
        params: invitationParams,
        idempotent: true,
        responses: { 200: { description: 'The invitation sent again', schema: z.object({ data: sentSchema }) } },
      },
    },
    (ctx, req, res) =>
      runIdempotentAsync(teamScope(platform, ctx.tenant, req), req, res, async (answerWithEffect) => {
        const answer = (s: SentInvitation) => ({ data: sentJson(s) });
        // The answer is stored with the new link (not yet mailed), then replaced once it is: a retry never sends a third link.
        const sent = await resendInvitation(platform, ctx.actor, invitationIdOf(req), ctx.branding, (written) => answerWithEffect(200, answer(written)));
        res.json(answer(sent));
      }),
  );

  table.post(
    '/invitations/:id/revoke',
    {
      permission: 'team.invite',
      answers: 'json',
      before: [sendLimit],
      doc: {
        summary: 'Revoke a pending invitation',
        tags: ['Team'],
        params: invitationParams,
        idempotent: true,
        responses: { 200: { description: 'The invitation, now revoked', schema: z.object({ data: invitationSchema }) } },
      },
    },
    (ctx, req, res) =>
      runIdempotent(teamScope(platform, ctx.tenant, req), req, res, () => {
        const revoked = revokeInvitation(platform, ctx.actor, invitationIdOf(req));
        res.json({ data: { ...invitationJson(revoked), state: 'revoked' } });
      }),
  );
}

/** The API's body (addresses as a list or one string) as the invitation form's fields; a wrong shape is a 400 naming its field. */
function parseBody(body: unknown): unknown {
  const parsed = parseInput(inviteBodySchema, body);
  return { emails: parsed.emails, role_id: parsed.role_id };
}
