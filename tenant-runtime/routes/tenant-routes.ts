import type { Router } from 'express';
import type { Platform } from '../../control-plane/platform';
import { tenantAccess } from '../tenant-access-middleware';
import { TenantRouteTable } from '../tenant-route-table';
import { itemRoutes } from './item-routes';
import { itemImportRoutes } from './item-import-routes';
import { itemExportRoutes } from './item-export-routes';
import { workflowRoutes } from './workflow-routes';
import { dashboardRoutes } from './dashboard-routes';
import { roleRoutes } from './role-routes';
import { memberRoutes } from './member-routes';
import { teamInvitationRoutes } from './team-invitation-routes';
import { auditRoutes } from './audit-routes';
import { settingsRoutes } from './settings-routes';
import { fileRoutes } from './file-routes';
import { tenantBranding } from '../settings/branding';
import { attachmentLocals } from '../files/attachment-locals';

/** Everything under /t/:slug. Access is proven once, here, before any route sees a database. */
export function tenantRoutes(platform: Platform): Router {
  const table = new TenantRouteTable((req, permission) =>
    platform.audit.record({
      action: 'access.refused',
      actorUserId: req.user?.id ?? null,
      tenantId: req.tenant?.id ?? null,
      targetType: 'permission',
      targetId: permission,
      after: { method: req.method, path: req.originalUrl.slice(0, 200) },
      ip: req.ip,
      userAgent: req.get('user-agent'),
    }),
  );
  table.router.use(tenantAccess(platform));
  table.router.use(tenantBranding(), attachmentLocals());

  dashboardRoutes(table);
  // Before itemRoutes: /items/import would otherwise be taken for an item id.
  itemImportRoutes(table);
  itemExportRoutes(table);
  itemRoutes(table, platform);
  workflowRoutes(table);
  roleRoutes(table, platform);
  memberRoutes(table, platform);
  teamInvitationRoutes(table, platform);
  auditRoutes(table, platform);
  settingsRoutes(table, platform);
  fileRoutes(table, platform);

  return table.router;
}
