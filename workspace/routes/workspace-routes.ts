import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { Later, WorkspaceServices } from '../workspace-services';
import { notificationRoutes } from './notification-routes';
import { dashboardRoutes } from './dashboard-routes';
import { itemImportRoutes } from './item-import-routes';
import { itemExportRoutes } from './item-export-routes';
import { itemRoutes } from './item-routes';
import { workflowRoutes } from './workflow-routes';
import { settingsRoutes } from './settings-routes';
import { fileRoutes } from './file-routes';
import { webhookRoutes } from './webhook-routes';
import { usageRoutes } from './usage-routes';

/** The workspace's own pages under a tenant: content, workflow, settings, files. */
export function workspaceRoutes(table: TenantRouteTable, services: WorkspaceServices, later: Later): void {
  dashboardRoutes(table);
  // Before itemRoutes: /items/import would otherwise be taken for an item id.
  itemImportRoutes(table, services);
  itemExportRoutes(table);
  itemRoutes(table, services, later);
  notificationRoutes(table);
  workflowRoutes(table);
  settingsRoutes(table, services);
  fileRoutes(table, services);
  webhookRoutes(table, services);
  usageRoutes(table, services);
}
