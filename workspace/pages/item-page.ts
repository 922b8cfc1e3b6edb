import { verbatim } from '../../core/i18n/message';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { ItemRepository, type ItemRow } from '../items/item-repository';
import { ItemHistory } from '../items/item-history';
import { ItemComments } from '../items/item-comments';
import { ItemApprovals } from '../items/item-approvals';
import { AttachmentRepository } from '../files/attachment-repository';
import { formatSize } from '../files/storage-usage';
import { ATTACHMENT_MAX_BYTES } from '../files/upload-attachment';
import { EDITABLE_STATUSES } from '../workflow/item-status';
import { CONTENT_ACTIONS, canComment, featureFor, transitionsFrom, type TransitionAction } from '../workflow/transition-table';
import { loadWorkflowRules } from '../workflow/workflow-rules';
import { viewHelpersFor } from './view-helpers';

const ATTACHMENT_MAX_SIZE = formatSize(ATTACHMENT_MAX_BYTES);

/** Everything the item page shows (also what a refused form on it re-renders with). */
export function loadItemPage(ctx: TenantRequestContext, item: ItemRow) {
  const helpers = viewHelpersFor(ctx);
  const rules = loadWorkflowRules(ctx.db);
  const tags = new ItemRepository(ctx.db).tagsOf(item.id);
  const approvers = new ItemApprovals(ctx.db).approvers(item.id, item.revision);
  const userId = ctx.actor.userId;
  // The transition table decides what this role may do; the rules hide an approval that would be
  // refused, and the plan hides the actions of a feature it does not include (scheduling).
  const included = (action: TransitionAction) => {
    const feature = featureFor(action);
    return feature === undefined || ctx.entitlements.features[feature];
  };
  const actions = transitionsFrom(item.status, ctx.actor.permissions)
    .filter((t) => included(t.action) && (t.action !== 'approve' || !(approvers.includes(userId) || (!rules.allowSelfApproval && item.created_by === userId))))
    .map((t) => ({ ...t, sendsRevision: CONTENT_ACTIONS.has(t.action) }));
  return {
    ...helpers,
    title: verbatim(item.title),
    item,
    tags,
    rules,
    actions,
    approvals: { count: approvers.length, required: rules.approvalsRequired },
    history: new ItemHistory(ctx.db).forItem(item.id),
    comments: new ItemComments(ctx.db).forItem(item.id),
    attachments: new AttachmentRepository(ctx.db).listForItem(item.id),
    attachmentMaxSize: ATTACHMENT_MAX_SIZE,
    formatSize,
    canEdit: ctx.can('content.edit') && EDITABLE_STATUSES.includes(item.status),
    canDelete: ctx.can('content.edit') && item.status === 'draft',
    canComment: canComment(ctx.actor.permissions),
    itemValues: {
      // The revision the page shows, sent back by the edit form and the forms that judge the content.
      revision: String(item.revision),
      title: item.title,
      body: item.body,
      channel: item.channel,
      tags: tags.join(', '),
      scheduled_at: helpers.clock.input(item.scheduled_at),
      publish_at: helpers.clock.input(item.scheduled_at),
    },
  };
}
