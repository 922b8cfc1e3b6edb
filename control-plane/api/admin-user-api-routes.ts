import { z } from 'zod';
import type { Router } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import { noQuery, parseInput, parseQuery } from '../../core/http/parse-input';
import { runIdempotent } from '../../core/http/idempotent';
import type { ApiCatalogue } from '../../core/http/api-operation';
import type { ControlPlane } from '../control-plane';
import { changeUserStatus, disableUserSchema, type SessionRows } from '../users/change-user-status';
import { membershipsOfUser, userFilterSchema, userPage, USER_ID_PATTERN } from '../users/user-directory';
import type { UserRecord } from '../users/user-record';
import { operatorOf } from '../audit/operator';
import { adminDoc as doc, adminKeyScope, isoTime as iso, requireAdmin } from './admin-api-access';

const userSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  super_admin: z.boolean(),
  status: z.string(),
  memberships: z.number().int(),
  created_at: z.string(),
});
const userParams = z.object({ id: z.string().regex(USER_ID_PATTERN) });
const workspaceSchema = z.object({
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string(), status: z.string() }),
  role: z.object({ key: z.string(), name: z.string() }),
  since: z.string(),
});
const userDetailSchema = userSchema.omit({ memberships: true }).extend({
  workspaces: z.array(workspaceSchema).describe('Every workspace the user is a member of, with their role there, by name'),
});

/** The user id in the URL; a malformed one is the 404 an unknown one is (the commands answer that one). */
function userIdOf(id: unknown): string {
  if (typeof id !== 'string' || !USER_ID_PATTERN.test(id)) throw new NotFoundError('No such user.');
  return id;
}

/** A user by the id in the URL; a malformed or unknown id is the same 404. */
function userOf(platform: ControlPlane, id: unknown): UserRecord {
  const user = platform.users.findById(userIdOf(id));
  if (!user) throw new NotFoundError('No such user.');
  return user;
}

/** The users part of the admin API (/api/v1/admin/users): the console's directory, one user with their workspaces, disabling and enabling an account. */
export function addAdminUserRoutes(router: Router, platform: ControlPlane, sessions: SessionRows, catalogue: Pick<ApiCatalogue, 'add'>): void {
  const users = requireAdmin(platform, 'admin.users');
  const scope = adminKeyScope(platform);

  catalogue.add(
    'get',
    '/users',
    doc(
      {
        summary: 'List users',
        scope: 'admin.users',
        query: userFilterSchema,
        responses: {
          200: {
            description: '50 a page, by email',
            schema: z.object({ data: z.array(userSchema), page: z.number().int(), pages: z.number().int(), total: z.number().int() }),
          },
        },
      },
      'Admin',
    ),
  );
  router.get('/users', users, (req, res) => {
    const page = userPage(platform.db, parseQuery(userFilterSchema, req.query));
    const data = page.users.map((u) => ({
      id: u.id,
      email: u.email,
      name: u.name,
      super_admin: Boolean(u.is_super_admin),
      status: u.status,
      memberships: u.memberships,
      created_at: iso(u.created_at) as string,
    }));
    res.json({ data, page: page.page, pages: page.pages, total: page.total });
  });

  catalogue.add(
    'get',
    '/users/:id',
    doc(
      {
        summary: 'Read a user, with every workspace they belong to and their role there',
        scope: 'admin.users',
        params: userParams,
        query: noQuery,
        responses: { 200: { description: 'The user', schema: z.object({ data: userDetailSchema }) } },
      },
      'Admin',
    ),
  );
  router.get('/users/:id', users, (req, res) => {
    parseQuery(noQuery, req.query);
    const user = userOf(platform, req.params.id);
    const workspaces = membershipsOfUser(platform.db, user.id).map((m) => ({
      tenant: { id: m.tenant_id, slug: m.slug, name: m.tenant_name, status: m.tenant_status },
      role: { key: m.role_key, name: m.role_name },
      since: iso(m.since) as string,
    }));
    res.json({
      data: {
        id: user.id,
        email: user.email,
        name: user.name,
        super_admin: Boolean(user.is_super_admin),
        status: user.status,
        created_at: iso(user.created_at) as string,
        workspaces,
      },
    });
  });

  catalogue.add(
    'post',
    '/users/:id/disable',
    doc(
      {
        summary: 'Disable a user (their sessions and tokens stop at once)',
        description:
          'Refused (400 on `force`, naming the workspaces) while the user is the only active owner of a workspace, which would be left without an owner who can act; `force: true` disables the account anyway.',
        scope: 'admin.users',
        params: userParams,
        body: disableUserSchema,
        idempotent: true,
        responses: { 200: { description: 'The user', schema: z.object({ data: userSchema.pick({ id: true, email: true, status: true }) }) } },
      },
      'Admin',
    ),
  );
  router.post('/users/:id/disable', users, (req, res) =>
    runIdempotent(scope(req), req, res, () => {
      const id = userIdOf(req.params.id);
      const { force } = parseInput(disableUserSchema, req.body ?? {});
      const { user } = changeUserStatus(platform, sessions, id, 'disabled', operatorOf(req), { force });
      res.json({ data: { id: user.id, email: user.email, status: user.status } });
    }),
  );

  catalogue.add(
    'post',
    '/users/:id/enable',
    doc(
      {
        summary: 'Enable a disabled user (they sign in again; their memberships are as they were)',
        scope: 'admin.users',
        params: userParams,
        idempotent: true,
        responses: { 200: { description: 'The user', schema: z.object({ data: userSchema.pick({ id: true, email: true, status: true }) }) } },
      },
      'Admin',
    ),
  );
  router.post('/users/:id/enable', users, (req, res) =>
    runIdempotent(scope(req), req, res, () => {
      const { user } = changeUserStatus(platform, sessions, userIdOf(req.params.id), 'active', operatorOf(req));
      res.json({ data: { id: user.id, email: user.email, status: user.status } });
    }),
  );
}
