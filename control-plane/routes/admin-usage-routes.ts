import { Router, type Request } from 'express';
import type { ControlPlane } from '../control-plane';
import { requireSuperAdmin, requireUser } from '../http/require-user';
import { parseInput } from '../../core/http/parse-input';
import { loadTenantUsagePage, loadUsageListPage, usageListSchema } from '../pages/usage-admin-page';
import { tenantOfParam } from './admin-tenant-param';
import type { RollupSummary } from '../usage/roll-up-usage';

const NOTICES = ['rolled-up'] as const;
const noticeOf = (req: Request) => (NOTICES as readonly string[]).find((n) => n === req.query.notice);

/**
 * `/admin/usage`: tenants closest to a limit first, each with its charts on its own page, read
 * from the control plane's roll-up only; a button runs the roll-up now. Super admins only.
 */
export function adminUsageRoutes(platform: ControlPlane, rollUp: () => Promise<RollupSummary | undefined>): Router {
  const router = Router();
  router.use('/usage', requireUser, requireSuperAdmin);

  router.get('/usage', (req, res) => {
    res.render('admin/usage', loadUsageListPage(platform, parseInput(usageListSchema, req.query), noticeOf(req)));
  });

  router.post('/usage/rollup', async (_req, res) => {
    await rollUp();
    res.redirect(303, '/admin/usage?notice=rolled-up');
  });

  router.get('/usage/:tenant', (req, res) => {
    res.render('admin/tenant-usage', loadTenantUsagePage(platform, tenantOfParam(platform, req)));
  });
  return router;
}
