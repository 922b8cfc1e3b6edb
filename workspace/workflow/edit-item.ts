import { msg, nested } from '../../core/i18n/message';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { ItemRepository } from '../items/item-repository';
import { ItemHistory } from '../items/item-history';
import { ItemApprovals } from '../items/item-approvals';
import type { ItemInput } from '../items/item-schemas';
import { EDITABLE_STATUSES, statusLabel, type ItemStatus } from './item-status';
import { channelProblem } from './workflow-rules';
import type { WorkflowContext } from './workflow-context';
import { checkRevision } from './expected-revision';
import { withLfLineEnds } from '../../core/text/line-ends';

export interface EditResult {
  contentChanged: boolean;
  approvalsReset: boolean;
  /** The item's status before and after (an approved item goes back to review when its content changes). */
  from: ItemStatus;
  to: ItemStatus;
  title: string;
  createdBy: string | null;
}

function sameTags(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().every((tag, i) => tag === [...b].sort()[i]);
}

export interface EditOptions {
  /** What the history calls the change. */
  action?: 'edit' | 'import';
  /** The revision the change was made on (the page's, the client's): another current one refuses it (409). */
  revision?: number;
}

/** The item's content as it is inside the write; its tags are read only when asked for. */
export interface CurrentContent extends Omit<ItemInput, 'tags'> {
  tags: () => string[];
}

/** The new content, or how to make it from the item's content as it is inside the write (a partial change). */
export type EditInput = ItemInput | ((current: CurrentContent) => ItemInput);

/**
 * Changes an item's content. A change of title, body, channel or tags starts a new revision:
 * approvals given to the old one stop counting, and an approved item goes back to review.
 * Moving only the planned time changes no revision.
 */
export function editItem(ctx: WorkflowContext, itemId: number, change: EditInput, options: EditOptions = {}): EditResult {
  const action = options.action ?? 'edit';
  // Checked here too, not only by the route: an import that updates duplicates edits items.
  if (!ctx.permissions.has('content.edit')) throw new ForbiddenError(msg('Your role cannot edit items.'), { permission: 'content.edit' });
  return ctx.db.write(() => {
    const repo = new ItemRepository(ctx.db);
    const item = repo.find(itemId);
    if (!item) throw new NotFoundError();
    let tags: string[] | undefined; // read only when needed: a changed title settles the comparison
    const tagsNow = () => (tags ??= repo.tagsOf(item.id));
    const input =
      typeof change === 'function'
        ? change({ title: item.title, body: item.body, channel: item.channel, tags: tagsNow, scheduled_at: item.scheduled_at })
        : change;
    // Line ends alone are no change: a body stored with CRLF (from a form before they were made LF) matches the same text sent back with LF.
    const bodyChanged = item.body !== input.body && withLfLineEnds(item.body) !== withLfLineEnds(input.body);
    const contentChanged = item.title !== input.title || bodyChanged || item.channel !== input.channel || !sameTags(tagsNow(), input.tags);
    const timeChanged = item.scheduled_at !== input.scheduled_at;
    // Made on an older revision, an edit that changes nothing (a double click on Save) is no conflict.
    checkRevision(item, options.revision, () => contentChanged || timeChanged);
    // Only a channel being set is held to the list: an item keeps one dropped from it since, until changed.
    const problem = input.channel === item.channel ? undefined : channelProblem(ctx.rules, input.channel);
    if (problem) throw ValidationError.single('channel', problem);
    if (!EDITABLE_STATUSES.includes(item.status))
      throw new ConflictError(msg('This item is {{status}}; it can no longer be edited.', { status: nested(statusLabel(item.status), { lower: true }) }), {
        itemId,
      });
    const unchanged = { from: item.status, to: item.status, title: item.title, createdBy: item.created_by };
    if (!contentChanged && !timeChanged) return { contentChanged, approvalsReset: false, ...unchanged };
    const approvals = new ItemApprovals(ctx.db);
    const approvalsReset = contentChanged && (item.status === 'approved' || approvals.approvers(item.id, item.revision).length > 0);
    const status: ItemStatus = contentChanged && item.status === 'approved' ? 'in_review' : item.status;
    repo.updateContent(
      item.id,
      { title: input.title, body: input.body, channel: input.channel, tags: input.tags, scheduledAt: input.scheduled_at },
      { revision: contentChanged ? item.revision + 1 : item.revision, status },
    );
    const detail = contentChanged ? (approvalsReset ? msg('Content changed; approvals reset') : msg('Content changed')) : msg('Planned time changed');
    new ItemHistory(ctx.db).record({ itemId: item.id, action, from: item.status, to: status, actor: ctx.actor, detail });
    return { contentChanged, approvalsReset, from: item.status, to: status, title: input.title, createdBy: item.created_by };
  });
}
