import { Router, type Request } from 'express';
import type { ControlPlane } from '../control-plane';
import { requireSuperAdmin, requireUser } from '../http/require-user';
import { formView } from '../../core/http/form-view';
import { parseInput } from '../../core/http/parse-input';
import { createTenant } from '../tenants/create-tenant';
import { operatorOf } from '../audit/operator';
import { tenantListSchema } from '../tenants/tenant-list-query';
import { loadTenantListPage, typedTenantFilters } from '../pages/tenant-list-page';
import { loadTenantDetailPage, type TenantDetailSources } from '../pages/tenant-detail-page';
import { tenantOfParam, tenantPagePath } from './admin-tenant-param';
import { adminLifecycleRoutes } from './admin-lifecycle-routes';
import { queryNotice } from '../../core/http/query-notice';
import { createdPage, redirectToShownOnce, shownOncePage, type CreatedPage } from './admin-shown-once';

/** Super-admin pages: the tenant fleet, one tenant, and its lifecycle. Everyone else gets 404. */
export function adminTenantRoutes(platform: ControlPlane, sources: TenantDetailSources = {}): Router {
  const router = Router();
  router.use(requireUser, requireSuperAdmin);

  const listPage = (req: Request) => loadTenantListPage(platform, undefined, typedTenantFilters(req.query));
  router.get(
    '/tenants',
    (req, res, next) => formView('admin/tenants', () => listPage(req))(req, res, next),
    (req, res) => {
      const filter = parseInput(tenantListSchema, req.query);
      res.render('admin/tenants', { ...loadTenantListPage(platform, filter, typedTenantFilters(req.query)), values: {}, errors: {} });
    },
  );

  router.get('/tenants/new', (_req, res) => {
    res.render('admin/tenant-new', { title: 'New tenant', values: {}, errors: {} });
  });

  // The page after a creation shows the invitation link once, after a redirect: a refresh sends
  // nothing again. The same form sent twice (a double click) makes one tenant: the repeat leads to
  // the page the first one left in the session (or, once that was seen, to the tenant's page).
  router.post('/tenants', formView('admin/tenant-new', { title: 'New tenant' }), async (req, res) => {
    const created = await createTenant(platform, req.body, operatorOf(req));
    if (created.repeated) return res.redirect(303, `${tenantPagePath(created.tenant)}/created`);
    redirectToShownOnce(req, res, created.tenant, 'created', createdPage(`Created ${created.tenant.name}`, created));
  });

  router.get(
    '/tenants/:tenant/created',
    shownOncePage<CreatedPage>(platform, 'created', (res, _tenant, created) =>
      res.render('admin/tenant-created', { title: created.title, created, transport: platform.mailer.transport }),
    ),
  );

  router.get('/tenants/:tenant', (req, res) => {
    const tenant = tenantOfParam(platform, req);
    res.render('admin/tenant-detail', {
      ...loadTenantDetailPage(platform, tenant, sources, req.query),
      done: doneNotice(req.query.done),
      values: {},
      errors: {},
    });
  });

  router.use('/tenants/:tenant', adminLifecycleRoutes(platform, sources));
  return router;
}

const DONE: Record<string, string> = {
  suspend: 'The tenant is suspended; its members see the notice.',
  resume: 'The tenant is active again.',
  archive: 'The tenant is archived: offline, its folder moved to the archive.',
  restore: 'The tenant is restored as it was.',
  purge: 'The tenant is purged: its files are removed and its slug is free.',
  discard: 'The failed tenant is discarded and its slug is free.',
  'decline-deletion': 'The deletion request is declined; the owner who asked is mailed the note.',
  recover: 'The tenant passes its checks again and is back online.',
  owner: 'The owner was added.',
  rename: 'The tenant was renamed; its old slug no longer leads to it.',
  plan: "The tenant's plan and overrides were saved; they apply from its next request.",
};

/** The line shown after a lifecycle step redirected here (a fixed text per step, never the query's own words). */
function doneNotice(value: unknown): string | undefined {
  return queryNotice(DONE, value);
}
