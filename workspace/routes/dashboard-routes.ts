import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { loadDashboardPage } from '../pages/dashboard-page';

/** The workspace home: counts by status, the next two weeks, the latest activity. */
export function dashboardRoutes(table: TenantRouteTable): void {
  table.get('/', 'content.view', (ctx, _req, res) => {
    res.render('tenant/home', loadDashboardPage(ctx));
  });
}
