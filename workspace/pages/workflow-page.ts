import { msg } from '../../core/i18n/message';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { loadWorkflowRules, type WorkflowRules } from '../workflow/workflow-rules';
import { TRANSITIONS } from '../workflow/transition-table';
import { viewHelpersFor } from './view-helpers';
import { readSettingsRevision, WORKFLOW_RULES_REVISION_KEY } from '../settings/settings-revision';

/** The form's values for the current rules. */
export function workflowFormValues(rules: WorkflowRules): Record<string, string | boolean> {
  return { approvals_required: String(rules.approvalsRequired), allow_self_approval: rules.allowSelfApproval, channels: rules.channels.join('\n') };
}

/**
 * The workflow rules page: the rules, the transition table, whether the member may change them,
 * and the form's values for the current rules with the revision the form sends back.
 */
export function loadWorkflowPage(ctx: TenantRequestContext, saved = false) {
  const rules = loadWorkflowRules(ctx.db);
  return {
    ...viewHelpersFor(ctx),
    title: msg('Workflow'),
    rules,
    current: { ...workflowFormValues(rules), revision: String(readSettingsRevision(ctx.db, WORKFLOW_RULES_REVISION_KEY)) },
    transitions: TRANSITIONS,
    canEdit: ctx.can('tenant.settings.edit'),
    saved,
  };
}
