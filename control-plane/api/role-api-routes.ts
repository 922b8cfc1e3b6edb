import { z } from 'zod';
import type { Request } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import { runIdempotent, type IdempotencyScope } from '../../core/http/idempotent';
import { noQuery, parseInput, parseQuery } from '../../core/http/parse-input';
import { numericIdOrNotFound, slugAndNumericIdParams } from '../../core/http/url-id';
import type { RouteSpec, TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { ControlPlane } from '../control-plane';
import { presentRoles, type RoleView } from '../roles/present-roles';
import { createCustomRole, patchCustomRole } from '../roles/save-custom-role';
import { deleteCustomRole } from '../roles/delete-custom-role';
import { apiOptionalRoleIdField } from '../roles/role-schemas';
import { apiRevisionField } from '../../core/http/revision-form';

const TAGS = ['Team'];

/** A role as the API shows one (the list's shape). */
export const roleSchema = z.object({
  id: z.number().int(),
  name: z.string(),
  description: z.string(),
  predefined: z.boolean(),
  parent_id: z.number().int().nullable(),
  permissions: z.array(z.string()).describe('Effective: its own and every ancestor'),
  own_permissions: z.array(z.string()).describe('Its own, given on top of its parent’s'),
  members: z.number().int(),
  revision: z.number().int().describe('Raised by each change: send it back with a PATCH'),
});

function roleJson(r: RoleView) {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    predefined: r.predefined,
    parent_id: r.parentId,
    permissions: [...r.effective].sort(),
    own_permissions: [...r.own].sort(),
    members: r.members,
    revision: r.revision,
  };
}

const text = (what: string) => z.string({ error: (issue) => (issue.input === undefined ? 'is required' : `must be ${what}`) });
const roleFields = {
  name: text('text').describe('Unique in the workspace (any case); at most 100 characters'),
  description: text('text').optional().describe('At most 500 characters'),
  parent_role_id: apiOptionalRoleIdField
    .optional()
    .describe('A predefined role or a custom role of this workspace whose permissions it inherits; null for none'),
  permissions: z
    .array(z.string({ error: 'must be permission names' }), { error: 'must be a list of permission names' })
    .optional()
    .describe('Its own permissions, on top of its parent’s (the names GET /roles shows)'),
};

/** What the API accepts to create a custom role: the roles page's form, nothing else (strict, as every API body). */
export const roleCreateBodySchema = z.strictObject(roleFields);
/** A change: only the fields sent change. */
export const roleChangeBodySchema = z.strictObject({
  ...roleFields,
  name: roleFields.name.optional(),
  revision: apiRevisionField(
    'The role revision you read. If someone changed the role since, nothing is changed and the answer is 409 revision_conflict with current_revision. Without it the fields sent replace whatever is current.',
  ),
});
/** A deletion: where its members and pending invitations go (required while it has any). */
export const roleDeleteBodySchema = z.strictObject({
  replacement_role_id: apiOptionalRoleIdField.optional().describe('The role its members and pending invitations move to; required while it has any'),
});

/** Writes as on the roles page: roles.manage, and only on plans with custom roles (403 feature_disabled otherwise). */
const MANAGE = { permission: 'roles.manage', feature: 'custom_roles', answers: 'json' } as const satisfies Partial<RouteSpec>;

/** One role of the workspace as the list shows it; another workspace's is not found. */
function roleOf(platform: ControlPlane, ctx: TenantRequestContext, id: number) {
  const role = presentRoles(platform, ctx.tenant.id, ctx.actor.permissions).find((r) => r.id === id);
  if (!role) throw new NotFoundError();
  return roleJson(role);
}

/**
 * The workspace's roles over the REST API: listed and read with team.view; custom roles created,
 * changed and deleted with roles.manage on plans with custom roles, by the roles page's commands
 * with their rules (nobody builds or touches a role holding more than their own, unique names,
 * parents of this workspace, a role in use deleted only with a replacement) and audit records.
 */
export function roleApiRoutes(table: TenantRouteTable, platform: ControlPlane, scopeOf: (ctx: TenantRequestContext, req: Request) => IdempotencyScope): void {
  table.get(
    '/roles',
    {
      permission: 'team.view',
      answers: 'json',
      doc: {
        summary: 'List roles',
        tags: TAGS,
        query: noQuery,
        responses: { 200: { description: 'Predefined roles, then custom ones', schema: z.object({ data: z.array(roleSchema) }) } },
      },
    },
    (ctx, req, res) => {
      parseQuery(noQuery, req.query);
      res.json({ data: presentRoles(platform, ctx.tenant.id, ctx.actor.permissions).map(roleJson) });
    },
  );

  table.get(
    '/roles/:id',
    {
      permission: 'team.view',
      answers: 'json',
      doc: {
        summary: 'Read a role',
        tags: TAGS,
        params: slugAndNumericIdParams,
        query: noQuery,
        responses: { 200: { description: 'The role', schema: z.object({ data: roleSchema }) } },
      },
    },
    (ctx, req, res) => {
      parseQuery(noQuery, req.query);
      res.json({ data: roleOf(platform, ctx, numericIdOrNotFound(req.params.id)) });
    },
  );

  table.post(
    '/roles',
    {
      ...MANAGE,
      doc: {
        summary: 'Create a custom role',
        description:
          'Refused (403) for permissions, its own or its parent’s, that your own role lacks; 400 naming the field for a name another role has, or a parent that is not a role of this workspace.',
        tags: TAGS,
        body: roleCreateBodySchema,
        idempotent: true,
        responses: { 201: { description: 'The new role', schema: z.object({ data: roleSchema }) } },
      },
    },
    (ctx, req, res) =>
      runIdempotent(scopeOf(ctx, req), req, res, () => {
        const created = createCustomRole(platform, ctx.actor, parseInput(roleCreateBodySchema, req.body));
        res
          .status(201)
          .location(`${req.baseUrl}/roles/${created.id}`)
          .json({ data: roleOf(platform, ctx, created.id) });
      }),
  );

  table.patch(
    '/roles/:id',
    {
      ...MANAGE,
      doc: {
        summary: 'Change a custom role',
        description:
          'Only the fields sent change; its members (and members of roles inheriting from it) are checked against it from their next request. Refused (403) for a predefined role, a role holding a permission your own role lacks, or a change giving it one. Send the `revision` you read: if someone changed the role since, the answer is 409 revision_conflict and nothing is changed, unless the change would change nothing (sent again once made): that is answered as done.',
        tags: TAGS,
        params: slugAndNumericIdParams,
        body: roleChangeBodySchema,
        responses: { 200: { description: 'The role after the change', schema: z.object({ data: roleSchema }) } },
      },
    },
    (ctx, req, res) => {
      const { revision, ...patch } = parseInput(roleChangeBodySchema, req.body);
      const changed = patchCustomRole(platform, ctx.actor, numericIdOrNotFound(req.params.id), patch, { revision });
      res.json({ data: roleOf(platform, ctx, changed.id) });
    },
  );

  table.post(
    '/roles/:id/delete',
    {
      ...MANAGE,
      doc: {
        summary: 'Delete a custom role',
        description:
          'Its members and pending invitations move to `replacement_role_id`, required while it has any (400 naming it otherwise); 409 for a role other roles inherit from (give them another parent first). The same deletion sent again by the same caller within seconds is answered as the first one was (200), changing nothing more.',
        tags: TAGS,
        params: slugAndNumericIdParams,
        body: roleDeleteBodySchema,
        idempotent: true,
        responses: {
          200: {
            description: 'The role deleted, and how many members moved to which role',
            schema: z.object({
              data: z.object({
                id: z.number().int(),
                name: z.string(),
                deleted: z.literal(true),
                members_moved: z.number().int(),
                replacement_role_id: z.number().int().nullable(),
              }),
            }),
          },
        },
      },
    },
    (ctx, req, res) =>
      runIdempotent(scopeOf(ctx, req), req, res, () => {
        const replacement = parseInput(roleDeleteBodySchema, req.body).replacement_role_id ?? null;
        const id = numericIdOrNotFound(req.params.id);
        const deleted = deleteCustomRole(platform, ctx.actor, id, { replacement_role_id: replacement });
        res.json({ data: { id, name: deleted.name, deleted: true, members_moved: deleted.moved, replacement_role_id: replacement } });
      }),
  );
}
