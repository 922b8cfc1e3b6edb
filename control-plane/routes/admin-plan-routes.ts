import { Router, type Request } from 'express';
import type { ControlPlane } from '../control-plane';
import { requireSuperAdmin, requireUser } from '../http/require-user';
import { formView } from '../../core/http/form-view';
import { operatorOf } from '../audit/operator';
import { createPlan, offeredPlanKey, setDefaultPlan, setTenantPlanAndOverrides, updatePlan } from '../plans/manage-plans';
import { loadPlanPage, loadPlansPage } from '../pages/plans-page';
import { loadTenantDetailPage, type TenantDetailSources } from '../pages/tenant-detail-page';
import type { TenantRecord } from '../tenants/tenant-record';
import { tenantOfParam, tenantPagePath } from './admin-tenant-param';
import { queryNotice } from '../../core/http/query-notice';
import { parseInput } from '../../core/http/parse-input';
import { revisionFormSchema } from '../../core/http/revision-form';

const NOTICES: Record<string, string> = { created: 'The plan was created.', saved: 'The plan was saved.', default: 'New tenants now start on this plan.' };
const noticeOf = (req: Request) => queryNotice(NOTICES, req.query.done);
const planKeyOf = (req: Request) => String(req.params.key ?? '');

/**
 * Plans for super admins (`/admin/plans`): list, create, edit limits and flags, make default;
 * and a tenant's plan and overrides from its console page. Every change is audited; a change
 * reaches the tenant's next request (the plan book is told through the change feed).
 */
export function adminPlanRoutes(platform: ControlPlane, sources: TenantDetailSources = {}): Router {
  const router = Router();
  router.use(['/plans', '/tenants/:tenant/plan'], requireUser, requireSuperAdmin);

  router.get('/plans', (req, res) => {
    res.render('admin/plans', { ...loadPlansPage(platform, noticeOf(req)), values: {}, errors: {} });
  });

  router.post(
    '/plans',
    formView('admin/plans', () => loadPlansPage(platform)),
    (req, res) => {
      const plan = createPlan(platform, operatorOf(req), req.body, 'complete');
      res.redirect(303, `/admin/plans/${plan.key}?done=created`);
    },
  );

  router.get('/plans/:key', (req, res) => {
    res.render('admin/plan', { ...loadPlanPage(platform, planKeyOf(req), noticeOf(req)), values: {}, errors: {} });
  });

  router.post(
    '/plans/:key',
    (req, res, next) => {
      const key = planKeyOf(req);
      formView('admin/plan', () => loadPlanPage(platform, key))(req, res, next);
    },
    (req, res) => {
      const { revision } = parseInput(revisionFormSchema, req.body);
      const plan = updatePlan(platform, operatorOf(req), planKeyOf(req), req.body, 'complete', { revision });
      res.redirect(303, `/admin/plans/${plan.key}?done=saved`);
    },
  );

  router.post('/plans/:key/default', (req, res) => {
    const plan = setDefaultPlan(platform, operatorOf(req), planKeyOf(req));
    res.redirect(303, `/admin/plans/${plan.key}?done=default`);
  });

  router.post(
    '/tenants/:tenant/plan',
    (req, res, next) => {
      const { id } = tenantOfParam(platform, req);
      formView('admin/tenant-detail', () => ({ ...loadTenantDetailPage(platform, platform.tenants.findById(id) as TenantRecord, sources), sentForm: 'plan' }))(
        req,
        res,
        next,
      );
    },
    (req, res) => {
      const tenant = tenantOfParam(platform, req);
      const op = operatorOf(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const plan = offeredPlanKey(platform, body.plan);
      const { revision } = parseInput(revisionFormSchema, body);
      setTenantPlanAndOverrides(platform, op, tenant, plan, body, { revision });
      res.redirect(303, `${tenantPagePath(tenant)}?done=plan`);
    },
  );
  return router;
}
