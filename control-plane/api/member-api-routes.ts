import { z } from 'zod';
import { apiRoleIdField } from '../roles/role-schemas';
import type { Request } from 'express';
import { replayStoredAnswer, runIdempotent, type IdempotencyScope } from '../../core/http/idempotent';
import { parseInput } from '../../core/http/parse-input';
import { NotFoundError } from '../../core/errors/app-errors';
import { numericIdOrNotFound, slugAndNumericIdParams } from '../../core/http/url-id';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { changeMemberRole } from '../memberships/change-member-role';
import { ownFormerMembership, removedThemselvesJustNow, removeMember } from '../memberships/remove-member';
import type { MemberRow } from '../memberships/membership-repository';

const iso = (ms: number) => new Date(ms).toISOString();

/** A member as the API shows one (the list's shape). */
export const memberSchema = z.object({
  membership_id: z.number().int(),
  user: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  role: z.object({ id: z.number().int(), key: z.string(), name: z.string() }),
  joined_at: z.string(),
});

export function memberJson(m: MemberRow) {
  return {
    membership_id: m.membership_id,
    user: { id: m.user_id, name: m.name, email: m.email },
    role: { id: m.role_id, key: m.role_key, name: m.role_name },
    joined_at: iso(m.created_at),
  };
}

/** What the API accepts to change a role: the page's form field, nothing else (strict, as every API body). */
export const memberRoleBodySchema = z.strictObject({
  role_id: apiRoleIdField,
});
const TAGS = ['Team'];

/**
 * A member read (team.view), a member's role changed, or the member removed, over the REST API (team.manage): the members
 * page's commands with their rules (nobody hands out or touches more than their own role holds, a
 * workspace keeps an owner who can act), audit records and events.
 */
export function memberApiRoutes(table: TenantRouteTable, platform: ControlPlane, scopeOf: (tenant: { id: string }, req: Request) => IdempotencyScope): void {
  table.get(
    '/members/:id',
    {
      permission: 'team.view',
      answers: 'json',
      doc: {
        summary: 'Read one member',
        description: "A member of this workspace by its `membership_id`, as the list shows them; another workspace's member, or a removed one, is a 404.",
        tags: TAGS,
        params: slugAndNumericIdParams,
        responses: { 200: { description: 'The member', schema: z.object({ data: memberSchema }) } },
      },
    },
    (ctx, req, res) => {
      const member = platform.memberships.findMember(numericIdOrNotFound(req.params.id), ctx.tenant.id);
      if (!member) throw new NotFoundError();
      res.json({ data: memberJson(member) });
    },
  );

  table.post(
    '/members/:id/role',
    {
      permission: 'team.manage',
      answers: 'json',
      doc: {
        summary: "Change a member's role",
        description:
          'Takes effect on their next request. Refused (403) for a role, or a member, holding a permission your own role lacks; 409 for the last owner whose account is active (transfer ownership first).',
        tags: TAGS,
        params: slugAndNumericIdParams,
        body: memberRoleBodySchema,
        idempotent: true,
        responses: { 200: { description: 'The member with the new role', schema: z.object({ data: memberSchema }) } },
      },
    },
    (ctx, req, res) =>
      runIdempotent(scopeOf(ctx.tenant, req), req, res, () => {
        const body = parseInput(memberRoleBodySchema, req.body);
        const changed = changeMemberRole(platform, ctx.actor, numericIdOrNotFound(req.params.id), body);
        res.json({ data: memberJson(changed) });
      }),
  );

  table.post(
    '/members/:id/remove',
    {
      permission: 'team.manage',
      answers: 'json',
      // Removing oneself sent again: no longer let in, answered as the first one was. With its
      // Idempotency-Key, the answer stored under it (their own, for this very request) is replayed,
      // as for a member; without, the removal of moments ago is found (decision 024).
      outsider: (req, res, { user, tenant }) => {
        if (!ownFormerMembership(platform, user.id, tenant.id, req.params.id)) return false;
        if (replayStoredAnswer(scopeOf(tenant, req), req, res)) return true;
        const removed = removedThemselvesJustNow(platform, user.id, tenant.id, req.params.id);
        if (removed) res.json({ data: { ...memberJson(removed), removed: true } });
        return removed !== undefined;
      },
      doc: {
        summary: 'Remove a member',
        description:
          'They lose access at once and their tokens limited to this workspace are revoked; their work stays. Refused (403) for a member holding a permission your own role lacks; 409 for the last owner whose account is active. Removing yourself, sent again within seconds, or with its Idempotency-Key while the key is kept, is answered as the first one was (200), though you are no longer a member.',
        tags: TAGS,
        params: slugAndNumericIdParams,
        idempotent: true,
        responses: { 200: { description: 'The member as they were removed', schema: z.object({ data: memberSchema.extend({ removed: z.literal(true) }) }) } },
      },
    },
    (ctx, req, res) =>
      runIdempotent(scopeOf(ctx.tenant, req), req, res, () => {
        const removed = removeMember(platform, ctx.actor, numericIdOrNotFound(req.params.id));
        res.json({ data: { ...memberJson(removed), removed: true } });
      }),
  );
}
