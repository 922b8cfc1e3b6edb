import type { Router } from 'express';
import type { Platform } from '../../control-plane/platform';
import { tenantAccess } from '../tenant-access-middleware';
import { TenantRouteTable } from '../tenant-route-table';
import { ItemRepository } from '../items/item-repository';
import { itemRoutes } from './item-routes';

/** Everything under /t/:slug. Access is proven once, here, before any route sees a database. */
export function tenantRoutes(platform: Platform): Router {
  const table = new TenantRouteTable();
  table.router.use(tenantAccess(platform));

  table.get('/', 'content.view', (req, res) => {
    const tenant = req.tenant!;
    res.render('tenant/home', { title: tenant.name, itemCount: new ItemRepository(tenant.db).count() });
  });
  itemRoutes(table);

  return table.router;
}
