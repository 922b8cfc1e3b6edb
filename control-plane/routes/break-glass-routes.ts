import { msg } from '../../core/i18n/message';
import { Router, type Request } from 'express';
import type { ControlPlane } from '../control-plane';
import { numericIdOrNotFound } from '../../core/http/url-id';
import { requireSuperAdmin, requireUser } from '../http/require-user';
import { formView } from '../../core/http/form-view';
import { isWellFormedSlug } from '../../tenant-runtime/slug-rules';
import { operatorOf } from '../audit/operator';
import { AccessGrantRepository } from '../break-glass/access-grant-repository';
import { startBreakGlass } from '../break-glass/start-break-glass';
import { endBreakGlass } from '../break-glass/end-break-glass';

/** Super admins step into a tenant they are not a member of, read-only, for a while, saying why. Everyone else gets 404. */
export function breakGlassRoutes(platform: ControlPlane): Router {
  const router = Router();
  router.use('/break-glass', requireUser, requireSuperAdmin);

  const operator = (req: Request) => ({ ...operatorOf(req), userId: (req.user as Express.User).id });
  const loadPage = (req: Request) => {
    const tenant = isWellFormedSlug(req.query.tenant) ? platform.tenants.findBySlug(req.query.tenant) : undefined;
    return {
      title: msg('Break-glass access'),
      grants: new AccessGrantRepository(platform.db).listActiveOfUser(operator(req).userId),
      minutes: platform.config.breakGlassMinutes,
      tenant,
      ended: req.query.done === 'ended',
      values: { tenant: tenant?.slug ?? '' },
    };
  };

  router.get('/break-glass', (req, res) => {
    res.render('admin/break-glass', { ...loadPage(req), errors: {} });
  });

  router.post(
    '/break-glass',
    (req, res, next) => formView('admin/break-glass', () => loadPage(req))(req, res, next),
    (req, res) => {
      const started = startBreakGlass(platform, operator(req), req.body);
      res.redirect(303, platform.urls.tenantUrl(started.tenant.slug));
    },
  );

  router.post('/break-glass/:id/end', (req, res) => {
    endBreakGlass(platform, operator(req), numericIdOrNotFound(req.params.id), 'stopped');
    res.redirect(303, '/admin/break-glass?done=ended');
  });

  return router;
}
