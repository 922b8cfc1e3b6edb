import { Router } from 'express';
import type { ControlPlane } from '../control-plane';
import { requireSuperAdmin, requireUser } from '../http/require-user';
import { loadDashboardPage } from '../pages/dashboard-page';
import { DiskUsageSamples, sampleDiskUsage } from '../lifecycle/disk-usage';

/** `/admin`: the super admin's dashboard. Everyone else gets 404. */
export function adminDashboardRoutes(platform: ControlPlane): Router {
  const router = Router();
  router.get('/', requireUser, requireSuperAdmin, async (_req, res) => {
    // The server samples the disk every hour; a console on a process without a sample yet takes one.
    if (!new DiskUsageSamples(platform.db).latest()) await sampleDiskUsage(platform.config.dataDir, platform.db);
    res.render('admin/dashboard', loadDashboardPage(platform));
  });
  return router;
}
