import { DATE_LOCALES } from '../../core/i18n/languages';
import { dateTimeFormat } from '../../core/time/date-formats';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { dashboardData, AGENDA_DAYS } from '../dashboard/dashboard-data';
import { waitingForMe } from '../dashboard/waiting-for-me';
import { loadWorkflowRules } from '../workflow/workflow-rules';
import { clockOf, viewHelpersFor } from './view-helpers';

/**
 * The workspace home: what waits for the member, counts by status, the next two weeks, the latest activity.
 * No title of its own: the page is the workspace itself, whose name the header already gives the tab.
 */
export function loadDashboardPage(ctx: TenantRequestContext) {
  const may = { approve: ctx.can('content.approve'), edit: ctx.can('content.edit') };
  const waiting = may.approve || may.edit ? waitingForMe(ctx.db, ctx.actor.userId, loadWorkflowRules(ctx.db), may) : { toReview: [], toRework: [] };
  // The agenda's day headings ("Saturday 28 November"), in the reader's language.
  const dayFormat = dateTimeFormat(DATE_LOCALES[ctx.language], { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' });
  return {
    ...viewHelpersFor(ctx),
    dayName: (day: string) => dayFormat.format(new Date(`${day}T00:00:00Z`)),
    dashboard: dashboardData(ctx.db, clockOf(ctx)),
    agendaDays: AGENDA_DAYS,
    waiting,
  };
}
