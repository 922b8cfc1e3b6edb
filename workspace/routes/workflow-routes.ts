import { parseInput } from '../../core/http/parse-input';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { workflowRulesFormSchema } from '../workflow/workflow-rules';
import { changeWorkflowRules } from '../workflow/change-workflow-rules';
import { workflowOf } from './item-route-helpers';
import { loadWorkflowPage } from '../pages/workflow-page';
import { revisionFormSchema } from '../../core/http/revision-form';

/** The tenant's workflow rules: anyone who may see settings reads them; settings editors change them. */
export function workflowRoutes(table: TenantRouteTable): void {
  table.get('/workflow', 'tenant.settings.view', (ctx, req, res) => {
    const page = loadWorkflowPage(ctx, req.query.saved === '1');
    res.render('tenant/workflow', { ...page, values: page.current, errors: {} });
  });

  table.post('/workflow', { permission: 'tenant.settings.edit', form: { view: 'tenant/workflow', load: (ctx) => loadWorkflowPage(ctx) } }, (ctx, req, res) => {
    const rules = parseInput(workflowRulesFormSchema, req.body);
    const change = changeWorkflowRules(workflowOf(ctx), rules, { revision: parseInput(revisionFormSchema, req.body).revision });
    if (change.changed)
      ctx.audit({
        action: 'workflow.rules_change',
        targetType: 'workflow',
        targetId: null,
        before: change.before,
        after: { ...change.after, itemsApproved: change.approved },
      });
    res.redirect(303, ctx.url('/workflow?saved=1'));
  });
}
