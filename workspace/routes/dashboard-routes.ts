import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { dashboardData, AGENDA_DAYS } from '../dashboard/dashboard-data';
import { tenantOf, viewHelpers } from './item-route-helpers';

/** The workspace home: counts by status, the next two weeks, the latest activity. */
export function dashboardRoutes(table: TenantRouteTable): void {
  table.get('/', 'content.view', (req, res) => {
    const tenant = tenantOf(req);
    res.render('tenant/home', { ...viewHelpers, title: tenant.name, dashboard: dashboardData(tenant.db), agendaDays: AGENDA_DAYS });
  });
}
