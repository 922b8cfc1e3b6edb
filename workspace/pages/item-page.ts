import { z } from 'zod';
import { digitsField } from '../../core/http/url-id';
import { verbatim } from '../../core/i18n/message';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { ItemRepository, type ItemRow } from '../items/item-repository';
import { ItemHistory } from '../items/item-history';
import { ItemComments } from '../items/item-comments';
import { ItemApprovals } from '../items/item-approvals';
import { AttachmentRepository, parsePosition, positionText } from '../files/attachment-repository';
import { formatSize } from '../files/storage-usage';
import { ATTACHMENT_MAX_BYTES } from '../files/upload-attachment';
import { EDITABLE_STATUSES } from '../workflow/item-status';
import { CONTENT_ACTIONS, canComment, canDelete, featureFor, transitionsFrom, type TransitionAction } from '../workflow/transition-table';
import { loadWorkflowRules } from '../workflow/workflow-rules';
import { viewHelpersFor } from './view-helpers';
import { pagePosition } from '../../core/http/page-query';

/** How many comments, history entries and attachments the item page shows at once; older ones are a link away. */
export const ITEM_PAGE_COMMENTS = 50;
export const ITEM_PAGE_HISTORY = 50;
export const ITEM_PAGE_FILES = 50;

const shownFrom = digitsField(z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional()).catch(undefined);
/**
 * Where the page's lists end: `?comments_before=<id>`, `?history_before=<id>` and
 * `?files_before=<position>` (a bad value shows the newest).
 */
const olderSchema = z.object({
  comments_before: shownFrom,
  history_before: shownFrom,
  files_before: pagePosition(parsePosition),
});

/** The item page's query as its valid parts name it, `` for its newest of each list. */
function shownQuery(older: z.infer<typeof olderSchema>): string {
  const params = new URLSearchParams();
  if (older.comments_before !== undefined) params.set('comments_before', String(older.comments_before));
  if (older.history_before !== undefined) params.set('history_before', String(older.history_before));
  if (older.files_before !== undefined) params.set('files_before', older.files_before.cursor);
  const query = params.toString();
  return query ? `?${query}` : '';
}

/** A page of the newest rows before a point: `limit + 1` rows read tell whether older ones remain. */
function pageOf<T>(rows: T[], limit: number, oldestLast: boolean) {
  const more = rows.length > limit;
  const shown = more ? (oldestLast ? rows.slice(0, limit) : rows.slice(1)) : rows;
  return { shown, oldest: more ? (oldestLast ? shown[shown.length - 1] : shown[0]) : undefined };
}

/** Everything the item page shows (also what a refused form on it re-renders with). */
export function loadItemPage(ctx: TenantRequestContext, item: ItemRow, query: Record<string, unknown> = {}) {
  const older = olderSchema.parse(query);
  const comments = pageOf(new ItemComments(ctx.db).newest(item.id, ITEM_PAGE_COMMENTS + 1, older.comments_before), ITEM_PAGE_COMMENTS, false);
  const history = pageOf(new ItemHistory(ctx.db).forItem(item.id, ITEM_PAGE_HISTORY + 1, older.history_before), ITEM_PAGE_HISTORY, true);
  const files = pageOf(new AttachmentRepository(ctx.db).newest(item.id, ITEM_PAGE_FILES + 1, older.files_before?.position), ITEM_PAGE_FILES, false);
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
    history: history.shown,
    comments: comments.shown,
    // Links to the older and the newest comments and history entries, when there are more than the page shows.
    olderComments: comments.oldest?.id,
    newerComments: older.comments_before !== undefined,
    olderHistory: history.oldest?.id,
    newerHistory: older.history_before !== undefined,
    attachments: files.shown,
    olderFiles: files.oldest && positionText(files.oldest),
    newerFiles: older.files_before !== undefined,
    // The page's own query (which older comments, history and files it shows): where an action on a file goes back to.
    pageQuery: shownQuery(older),
    attachmentMaxSize: formatSize(ATTACHMENT_MAX_BYTES, ctx.language),
    formatSize: (bytes: number) => formatSize(bytes, ctx.language),
    canEdit: ctx.can('content.edit') && EDITABLE_STATUSES.includes(item.status),
    canDelete: canDelete(item.status, ctx.actor.permissions),
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
