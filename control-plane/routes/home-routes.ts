import { msg } from '../../core/i18n/message';
import { Router, type Request } from 'express';
import type { ControlPlane } from '../control-plane';
import { requireUser } from '../http/require-user';
import { landingPath } from './landing-path';
import { switchTenant } from '../tenants/switch-tenant';
import { formView } from '../../core/http/form-view';
import { UnauthenticatedError } from '../../core/errors/app-errors';
import { refuseWhileImpersonating } from '../impersonation/refuse-while-impersonating';
import { createOwnWorkspace, ownWorkspaceAllowance } from '../tenants/create-own-workspace';

export function homeRoutes(platform: ControlPlane): Router {
  const router = Router();

  router.get('/', (req, res) => {
    if (req.user) return res.redirect(landingPath(platform, req.user));
    if (platform.users.count() === 0) return res.render('setup/waiting', { title: msg('Welcome to Tenantry') });
    res.redirect('/login');
  });

  /**
   * The tenant switcher as a page: every tenant the user belongs to, with their role; below, the
   * ones closed for now (suspended, damaged, being restored), each linking to its notice.
   */
  router.get('/tenants', requireUser, (req, res) => {
    const userId = req.user?.id ?? '';
    res.render('home/tenants', {
      title: msg('Your workspaces'),
      tenants: platform.access.tenantsOfUser(userId),
      closed: platform.memberships.listClosedTenantsOfUser(userId),
    });
  });

  /** Switching is a POST (CSRF-protected): opening a workspace's pages never changes the current one. */
  router.post('/tenants/switch', requireUser, (req, res) => {
    const target = switchTenant(platform, req, req.body);
    res.redirect(303, platform.urls.tenantUrl(target.tenant.slug));
  });

  /** Self-service (a platform setting, off by default): a signed-in user makes a workspace of their own. */
  const newWorkspacePage = (req: Request) => {
    if (!req.user) throw new UnauthenticatedError();
    return { title: msg('New workspace'), allowance: ownWorkspaceAllowance(platform, req.user.id) };
  };
  router.get('/tenants/new', requireUser, (req, res) => {
    res.render('home/new-workspace', newWorkspacePage(req));
  });
  router.post(
    '/tenants/new',
    requireUser,
    refuseWhileImpersonating(platform, msg('workspaces')),
    (req, res, next) => formView('home/new-workspace', () => newWorkspacePage(req))(req, res, next),
    async (req, res) => {
      if (!req.user) throw new UnauthenticatedError();
      const tenant = await createOwnWorkspace(platform, req.user, req.body);
      // Creating a workspace is switching to it: the session's current one and where the user lands next.
      const target = switchTenant(platform, req, { tenant: tenant.slug });
      res.redirect(303, platform.urls.tenantUrl(target.tenant.slug));
    },
  );

  return router;
}
