import type { Request } from 'express';
import { formView } from '../../core/http/form-view';
import { parseInput } from '../../core/http/parse-input';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { loadWorkflowRules, saveWorkflowRules, workflowRulesFormSchema, type WorkflowRules } from '../workflow/workflow-rules';
import { TRANSITIONS } from '../workflow/transition-table';
import { tenantOf, viewHelpers } from './item-route-helpers';

function formValues(rules: WorkflowRules): Record<string, string | boolean> {
  return { approvals_required: String(rules.approvalsRequired), allow_self_approval: rules.allowSelfApproval, channels: rules.channels.join('\n') };
}

function pageLocals(req: Request, saved = false): Record<string, unknown> {
  const tenant = tenantOf(req);
  return { ...viewHelpers, title: 'Workflow', rules: loadWorkflowRules(tenant.db), transitions: TRANSITIONS, canEdit: tenant.permissions.has('tenant.settings.edit'), saved };
}

/** The tenant's workflow rules: anyone who may see settings reads them; settings editors change them. */
export function workflowRoutes(table: TenantRouteTable): void {
  table.get('/workflow', 'tenant.settings.view', (req, res) => {
    const locals = pageLocals(req, req.query.saved === '1');
    res.render('tenant/workflow', { ...locals, values: formValues(locals.rules as WorkflowRules), errors: {} });
  });

  table.post('/workflow', 'tenant.settings.edit', (req, res, next) => formView('tenant/workflow', pageLocals(req))(req, res, next), (req, res) => {
    const tenant = tenantOf(req);
    saveWorkflowRules(tenant.db, parseInput(workflowRulesFormSchema, req.body));
    res.redirect(303, `/t/${tenant.slug}/workflow?saved=1`);
  });
}
