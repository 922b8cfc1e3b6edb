import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { Later, WorkspaceServices } from '../workspace-services';
import { workflowMailFor, type ItemMove } from '../notifications/workflow-mail';
import { WorkflowMailQueue } from '../notifications/workflow-mail-queue';
import { sendDueMails } from '../notifications/send-due-mails';
import { editItem, type EditInput, type EditOptions, type EditResult } from '../workflow/edit-item';
import type { TransitionAction } from '../workflow/transition-table';
import { transitionItem, type TransitionInput, type TransitionResult } from '../workflow/transition-item';
import { deleteItem } from '../workflow/delete-item';
import type { ItemRow } from '../items/item-repository';
import { TenantFileStore } from '../files/tenant-file-store';
import { warnFileLeftBehind } from '../files/upload-attachment';
import { workflowOf } from './item-route-helpers';
import { pausePoint } from '../../core/process/pause-point';
import { NotFoundError } from '../../core/errors/app-errors';
import { ITEM_STATUSES } from '../workflow/item-status';
import { deletedJustNow } from '../repeated-deletion';

export type ItemStepServices = Pick<
  WorkspaceServices,
  'config' | 'scheduleHints' | 'webhookHints' | 'mailHints' | 'tenants' | 'router' | 'members' | 'urls' | 'mailer' | 'logger' | 'recentDeletions'
>;

/** An item as its deletion answers it (also when that deletion is a repeat of one just made). */
export type DeletedItem = Pick<ItemRow, 'id' | 'title' | 'status'>;

/**
 * What follows a change of an item, the same from a page and from the API: the workflow mail it
 * calls for (queued in the change's transaction with the mail dispatcher's hint, sent right after
 * the answer, retried by the dispatcher: notifications/send-due-mails.ts) and, for a workflow step,
 * the scheduler's and the webhook dispatcher's hints and the audit record; for a deletion, its
 * audit record.
 */
export function itemSteps(services: ItemStepServices, later: Later) {
  /** Inside the change's write: queues the mail the move calls for, if any; true when one was queued. */
  const queueMail = (ctx: TenantRequestContext, id: number, move: ItemMove): boolean => {
    const mail = workflowMailFor(ctx, services, id, move);
    if (!mail) return false;
    const at = Date.now();
    new WorkflowMailQueue(ctx.db).queue(mail, at);
    // The hint before the commit: an early one costs a visit, a lost one would leave the mail waiting.
    services.mailHints.noteDue(ctx.tenant.id, at);
    return true;
  };
  /** After the commit: the first attempt, as soon as the answer is on its way. */
  const sendSoon = (ctx: TenantRequestContext) => later('workflow mail', () => sendDueMails(services, ctx.tenant.id));
  /** Edits an item (edit-item.ts) and queues the mail an approved item sent back to review calls for, in one write. */
  const edit = (ctx: TenantRequestContext, id: number, change: EditInput, options?: EditOptions): EditResult => {
    let queued = false;
    const result = ctx.db.write(() => {
      const edited = editItem(workflowOf(ctx), id, change, options);
      queued = queueMail(ctx, id, { action: 'edit', ...edited });
      return edited;
    });
    if (queued) sendSoon(ctx);
    return result;
  };
  const move = (ctx: TenantRequestContext, id: number, action: TransitionAction, input: TransitionInput = {}, via?: 'api'): TransitionResult => {
    // The hints are written inside the step's transaction, so before it commits: a hint that is
    // early costs only a visit, one missing would leave a scheduled item unpublished (a delivery
    // unsent) until the tenant's next step, had the process died between the commit and the hint.
    // The audit record waits for the commit (decision 009).
    let queued = false;
    const result = ctx.db.write(() => {
      const moved = transitionItem(workflowOf(ctx), id, action, input);
      // The same step sent again (a double click) is answered as done: what the first one announced is not announced twice.
      if (moved.repeated) return moved;
      if (moved.to === 'scheduled' && moved.scheduledAt !== null) services.scheduleHints.noteDue(ctx.tenant.id, moved.scheduledAt);
      if (moved.eventsQueued) services.webhookHints.noteDue(ctx.tenant.id, Date.now());
      queued = queueMail(ctx, id, { action, ...moved });
      return moved;
    });
    if (result.repeated) return result;
    pausePoint('item-step:committed');
    ctx.audit({
      action: `item.${action}`,
      targetType: 'item',
      targetId: String(id),
      before: { status: result.from },
      after: { status: result.to, ...(result.approvals ? { approvals: result.approvals } : {}), ...(via ? { via } : {}) },
    });
    if (queued) sendSoon(ctx);
    return result;
  };
  /**
   * Deletes the item with its files (delete-item.ts); no mail and no webhook event, as ever for a
   * deleted draft. `whenDeleted` runs inside the write that deletes its rows (the API's answer), as
   * does the audit record, written at that commit rather than once the files are gone: the same
   * deletion sent again by the same member moments after, or at once, finds it and is answered with
   * the first one (repeated-deletion.ts) instead of a 404 about its own effect, writing nothing.
   */
  const remove = async (ctx: TenantRequestContext, id: number, via?: 'api', revision?: number, whenDeleted?: (item: ItemRow) => void): Promise<DeletedItem> => {
    const store = TenantFileStore.forTenant(services.config.dataDir, ctx.tenant.id);
    const recorded = (item: ItemRow) => {
      ctx.audit({
        action: 'item.delete',
        targetType: 'item',
        targetId: String(id),
        before: { title: item.title, status: item.status },
        ...(via ? { after: { via } } : {}),
      });
      whenDeleted?.(item);
    };
    try {
      return await deleteItem(workflowOf(ctx), store, id, warnFileLeftBehind(services.logger, ctx.tenant.id), { revision, whenDeleted: recorded });
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      const before = deletedJustNow(services, ctx, { action: 'item.delete', targetType: 'item', targetId: String(id) });
      const status = ITEM_STATUSES.find((s) => s === before?.status);
      if (!before || !status) throw error;
      return { id, title: typeof before.title === 'string' ? before.title : '', status };
    }
  };
  return { edit, move, remove };
}
