import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { loadUsagePage } from '../pages/usage-page';
import type { WorkspaceServices } from '../workspace-services';

/** `/usage`: the workspace's limits, what it uses of them and its last 30 days. */
export function usageRoutes(table: TenantRouteTable, services: Pick<WorkspaceServices, 'usageSources' | 'usageHistory'>): void {
  table.get('/usage', 'usage.view', (ctx, _req, res) => {
    res.render('tenant/usage', loadUsagePage(ctx, services.usageSources, services.usageHistory));
  });
}
