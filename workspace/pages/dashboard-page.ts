import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { dashboardData, AGENDA_DAYS } from '../dashboard/dashboard-data';
import { clockOf, viewHelpersFor } from './view-helpers';

/** The workspace home: counts by status, the next two weeks, the latest activity. */
export function loadDashboardPage(ctx: TenantRequestContext) {
  return { ...viewHelpersFor(ctx), title: ctx.branding.displayName, dashboard: dashboardData(ctx.db, clockOf(ctx)), agendaDays: AGENDA_DAYS };
}
