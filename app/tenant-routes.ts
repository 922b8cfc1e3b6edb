import type { Router } from 'express';
import type { Platform } from './create-platform';
import { tenantAccess } from '../tenant-runtime/tenant-access-middleware';
import { TenantRouteTable } from '../tenant-runtime/tenant-route-table';
import { itemRoutes } from '../workspace/routes/item-routes';
import { itemImportRoutes } from '../workspace/routes/item-import-routes';
import { itemExportRoutes } from '../workspace/routes/item-export-routes';
import { workflowRoutes } from '../workspace/routes/workflow-routes';
import { dashboardRoutes } from '../workspace/routes/dashboard-routes';
import { roleRoutes } from '../control-plane/routes/role-routes';
import { memberRoutes } from '../control-plane/routes/member-routes';
import { teamInvitationRoutes } from '../control-plane/routes/team-invitation-routes';
import { auditRoutes } from '../control-plane/routes/tenant-audit-routes';
import { settingsRoutes } from '../workspace/routes/settings-routes';
import { fileRoutes } from '../workspace/routes/file-routes';
import { tenantBranding } from '../workspace/settings/branding';
import { attachmentLocals } from '../workspace/files/attachment-locals';

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
