import { msg } from '../../core/i18n/message';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { loadWorkflowRules, type WorkflowRules } from '../workflow/workflow-rules';
import { TRANSITIONS } from '../workflow/transition-table';
import { viewHelpersFor } from './view-helpers';

/** The form's values for the current rules. */
export function workflowFormValues(rules: WorkflowRules): Record<string, string | boolean> {
  return { approvals_required: String(rules.approvalsRequired), allow_self_approval: rules.allowSelfApproval, channels: rules.channels.join('\n') };
}

/** The workflow rules page: the rules, the transition table, whether the member may change them. */
export function loadWorkflowPage(ctx: TenantRequestContext, saved = false) {
  return {
    ...viewHelpersFor(ctx),
    title: msg('Workflow'),
    rules: loadWorkflowRules(ctx.db),
    transitions: TRANSITIONS,
    canEdit: ctx.can('tenant.settings.edit'),
    saved,
  };
}
