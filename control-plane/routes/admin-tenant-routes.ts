import { Router } from 'express';
import type { ControlPlane } from '../control-plane';
import { requireSuperAdmin, requireUser } from '../http/require-user';
import { formView } from '../../core/http/form-view';
import { createTenant } from '../tenants/create-tenant';
import { resumeTenant, suspendTenant } from '../lifecycle/suspend-tenant';
import { operatorOf } from '../lifecycle/operator';
import { tenantDiskUsage } from '../tenants/tenant-disk-usage';

/** Super-admin pages: the tenant fleet. Everyone else gets 404. */
export function adminTenantRoutes(platform: ControlPlane): Router {
  const router = Router();
  router.use(requireUser, requireSuperAdmin);

  router.get('/', (_req, res) => res.redirect('/admin/tenants'));

  router.get('/tenants', (_req, res) => {
    const rows = platform.tenants.list();
    const tenants = rows.map((t) => ({ ...t, bytes: tenantDiskUsage(platform.config.dataDir, t.id) }));
    res.render('admin/tenants', { title: 'Tenants', tenants, latestVersion: platform.tenantSource.latest, router: platform.router.stats() });
  });

  router.get('/tenants/new', (_req, res) => {
    res.render('admin/tenant-new', { title: 'New tenant', values: {}, errors: {} });
  });

  router.post('/tenants', formView('admin/tenant-new', { title: 'New tenant' }), async (req, res) => {
    const created = await createTenant(platform, req.body, req.user?.id ?? null);
    res.status(201).render('admin/tenant-created', { title: `Created ${created.tenant.name}`, created });
  });

  router.post('/tenants/:id/suspend', (req, res) => {
    suspendTenant(platform, String(req.params.id), req.body, operatorOf(req));
    res.redirect('/admin/tenants');
  });

  router.post('/tenants/:id/resume', (req, res) => {
    resumeTenant(platform, String(req.params.id), operatorOf(req));
    res.redirect('/admin/tenants');
  });

  return router;
}
