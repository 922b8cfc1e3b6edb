import { msg } from '../../core/i18n/message';
import { checkFormRevision } from '../../core/http/revision-form';
import { ForbiddenError } from '../../core/errors/app-errors';
import { isDeepStrictEqual } from 'node:util';
import { readSettingsRevision, WORKFLOW_RULES_REVISION_KEY, writeSettingsRevision } from '../settings/settings-revision';
import { ItemHistory } from '../items/item-history';
import { ItemRepository } from '../items/item-repository';
import { loadWorkflowRules, saveWorkflowRules, type WorkflowRules } from './workflow-rules';
import type { WorkflowContext } from './workflow-context';

export interface RulesChange {
  before: WorkflowRules;
  after: WorkflowRules;
  /** Items in review that the lowered approval count now lets through. */
  approved: number[];
  /** Whether the rules changed: the same rules saved again write nothing, and are no change to record. */
  changed: boolean;
}

export interface RulesChangeOptions {
  /** The revision of the rules the change was made on (the page's): another current one refuses it (409). */
  revision?: number;
}

/**
 * Saves the workspace's workflow rules. When fewer approvals are now required, items in review
 * whose current revision already has enough are approved in the same transaction (with a
 * history entry), instead of waiting for an approval nobody needs to give any more. A change made
 * on a revision of the rules that is no longer current (someone saved meanwhile) is refused whole
 * (409), unless it changes nothing (the same form sent again by a double click on Save); one that
 * changes something raises the revision.
 */
export function changeWorkflowRules(ctx: WorkflowContext, rules: WorkflowRules, options: RulesChangeOptions = {}): RulesChange {
  if (!ctx.permissions.has('tenant.settings.edit'))
    throw new ForbiddenError(msg('Your role cannot change the workflow rules.'), { permission: 'tenant.settings.edit' });
  return ctx.db.write(() => {
    const before = loadWorkflowRules(ctx.db);
    const revision = readSettingsRevision(ctx.db, WORKFLOW_RULES_REVISION_KEY);
    const changed = !isDeepStrictEqual(before, rules);
    checkFormRevision(
      revision,
      options.revision,
      () => changed,
      msg('The workflow rules were changed since you opened them (now revision {{revision}}): the form shows them as they are now; make your change again.', {
        revision,
      }),
    );
    // The same rules saved again (the form sent twice) are no change: nothing written, the revision kept.
    if (!changed) return { before, after: before, approved: [], changed };
    saveWorkflowRules(ctx.db, rules);
    writeSettingsRevision(ctx.db, WORKFLOW_RULES_REVISION_KEY, revision + 1);
    const approved: number[] = [];
    if (rules.approvalsRequired < before.approvalsRequired) {
      const ready = ctx.db.all<{ id: number }>(
        `select i.id from items i
          where i.status = 'in_review'
            and (select count(*) from item_approvals a where a.item_id = i.id and a.revision = i.revision) >= ?
          order by i.id`,
        [rules.approvalsRequired],
      );
      const repo = new ItemRepository(ctx.db);
      const history = new ItemHistory(ctx.db);
      for (const { id } of ready) {
        if (!repo.setStatus(id, 'in_review', 'approved')) continue;
        history.record({
          itemId: id,
          action: 'approve',
          from: 'in_review',
          to: 'approved',
          actor: ctx.actor,
          detail: msg('Approvals now suffice: the workflow requires {{count}}', { count: rules.approvalsRequired }),
        });
        approved.push(id);
      }
    }
    return { before, after: rules, approved, changed };
  });
}
