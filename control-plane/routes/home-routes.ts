import { msg } from '../../core/i18n/message';
import { Router } from 'express';
import type { ControlPlane } from '../control-plane';
import { requireUser } from '../http/require-user';
import { landingPath } from './landing-path';
import { switchTenant } from '../tenants/switch-tenant';

export function homeRoutes(platform: ControlPlane): Router {
  const router = Router();

  router.get('/', (req, res) => {
    if (req.user) return res.redirect(landingPath(platform, req.user));
    if (platform.users.count() === 0) return res.render('setup/waiting', { title: msg('Welcome to Tenantry') });
    res.redirect('/login');
  });

  /** The tenant switcher as a page: every tenant the user belongs to, with their role. */
  router.get('/tenants', requireUser, (_req, res) => {
    res.render('home/tenants', { title: msg('Your workspaces'), tenants: res.locals.myTenants });
  });

  /** Switching is a POST (CSRF-protected): opening a workspace's pages never changes the current one. */
  router.post('/tenants/switch', requireUser, (req, res) => {
    const target = switchTenant(platform, req, req.body);
    res.redirect(303, platform.urls.tenantUrl(target.tenant.slug));
  });

  return router;
}
