import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { Later, WorkspaceServices } from '../workspace-services';
import { itemApiRoutes } from './item-api-routes';
import { itemDetailApiRoutes } from './item-detail-api-routes';
import { secretApiRoutes } from './secret-api-routes';
import { settingsApiRoutes } from './settings-api-routes';
import { usageApiRoutes } from './usage-api-routes';

/** The workspace's part of the REST API (/api/v1/t/:slug/...): items, workflow, comments, attachments, settings, secrets, usage. */
export function workspaceApiRoutes(table: TenantRouteTable, services: WorkspaceServices, later: Later): void {
  itemApiRoutes(table, services, later);
  itemDetailApiRoutes(table, services);
  settingsApiRoutes(table, services.settingsCopies);
  secretApiRoutes(table, services);
  usageApiRoutes(table, services);
}
