import { z } from 'zod';
import type { Request, Router } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import { parseInput, parseQuery } from '../../core/http/parse-input';
import { principalOf, runIdempotent } from '../../core/http/idempotent';
import type { ApiCatalogue } from '../../core/http/api-operation';
import type { ControlPlane } from '../control-plane';
import { changeUserStatus, disableUserSchema, type SessionRows } from '../users/change-user-status';
import { userFilterSchema, userPage, USER_ID_PATTERN } from '../users/user-directory';
import { operatorOf } from '../audit/operator';
import { adminDoc as doc, isoTime as iso, requireAdmin } from './admin-api-access';

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

/** The users part of the admin API (/api/v1/admin/users): the console's directory and disabling an account. */
export function addAdminUserRoutes(router: Router, platform: ControlPlane, sessions: SessionRows, catalogue: Pick<ApiCatalogue, 'add'>): void {
  const users = requireAdmin('admin.users');
  const scope = (req: Request) => ({ db: platform.db, principal: principalOf(req) });

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
      const id = String(req.params.id);
      if (!USER_ID_PATTERN.test(id)) throw new NotFoundError('No such user.');
      const { force } = parseInput(disableUserSchema, req.body ?? {});
      const { user } = changeUserStatus(platform, sessions, id, 'disabled', operatorOf(req), { force });
      res.json({ data: { id: user.id, email: user.email, status: user.status } });
    }),
  );
}
