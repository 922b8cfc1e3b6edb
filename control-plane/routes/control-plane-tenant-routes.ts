import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { ControlPlane } from '../control-plane';
import { deletionRequestRoutes } from './deletion-request-routes';
import { memberRoutes } from './member-routes';
import { roleRoutes } from './role-routes';
import { teamInvitationRoutes } from './team-invitation-routes';
import { tenantAuditRoutes } from './tenant-audit-routes';
import { tenantExportRoutes } from './tenant-export-routes';
import { tenantTokenRoutes } from './tenant-token-routes';

/** The control plane's pages under a tenant (its data lives in platform.sqlite): team, roles, invitations, audit trail, a deletion request. */
export function controlPlaneTenantRoutes(table: TenantRouteTable, platform: ControlPlane): void {
  roleRoutes(table, platform);
  memberRoutes(table, platform);
  teamInvitationRoutes(table, platform);
  tenantAuditRoutes(table, platform);
  tenantExportRoutes(table, platform);
  tenantTokenRoutes(table, platform);
  deletionRequestRoutes(table, platform);
}
