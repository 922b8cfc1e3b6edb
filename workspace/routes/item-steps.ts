import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import type { Later, WorkspaceServices } from '../workspace-services';
import { sendWorkflowMail, workflowMailFor, type ItemMove } from '../notifications/workflow-mail';
import type { TransitionAction } from '../workflow/transition-table';
import { transitionItem, type TransitionInput, type TransitionResult } from '../workflow/transition-item';
import { deleteItem } from '../workflow/delete-item';
import type { ItemRow } from '../items/item-repository';
import { TenantFileStore } from '../files/tenant-file-store';
import { warnFileLeftBehind } from '../files/upload-attachment';
import { workflowOf } from './item-route-helpers';
import { pausePoint } from '../../core/process/pause-point';

export type ItemStepServices = Pick<WorkspaceServices, 'config' | 'scheduleHints' | 'webhookHints' | 'members' | 'urls' | 'mailer' | 'logger'>;

/**
 * What follows a change of an item, the same from a page and from the API: the workflow mail it
 * calls for (prepared now, sent after the answer) and, for a workflow step, the scheduler's and
 * the webhook dispatcher's hints and the audit record; for a deletion, its audit record.
 */
export function itemSteps(services: ItemStepServices, later: Later) {
  const notify = (ctx: TenantRequestContext, id: number, move: ItemMove) => {
    const mail = workflowMailFor(ctx, services, id, move);
    if (mail) later('workflow mail', () => sendWorkflowMail(services.mailer, services.logger, mail));
  };
  const move = (ctx: TenantRequestContext, id: number, action: TransitionAction, input: TransitionInput = {}, via?: 'api'): TransitionResult => {
    // The hints are written inside the step's transaction, so before it commits: a hint that is
    // early costs only a visit, one missing would leave a scheduled item unpublished (a delivery
    // unsent) until the tenant's next step, had the process died between the commit and the hint.
    // The audit record waits for the commit (decision 009).
    const result = ctx.db.write(() => {
      const moved = transitionItem(workflowOf(ctx), id, action, input);
      if (moved.to === 'scheduled' && moved.scheduledAt !== null) services.scheduleHints.noteDue(ctx.tenant.id, moved.scheduledAt);
      if (moved.eventsQueued) services.webhookHints.noteDue(ctx.tenant.id, Date.now());
      return moved;
    });
    pausePoint('item-step:committed');
    ctx.audit({
      action: `item.${action}`,
      targetType: 'item',
      targetId: String(id),
      before: { status: result.from },
      after: { status: result.to, ...(result.approvals ? { approvals: result.approvals } : {}), ...(via ? { via } : {}) },
    });
    notify(ctx, id, { action, ...result });
    return result;
  };
  /**
   * Deletes the item with its files (delete-item.ts); no mail and no webhook event, as ever for a
   * deleted draft. `whenDeleted` runs inside the write that deletes its rows (the API's answer).
   */
  const remove = async (ctx: TenantRequestContext, id: number, via?: 'api', revision?: number, whenDeleted?: (item: ItemRow) => void): Promise<ItemRow> => {
    const store = TenantFileStore.forTenant(services.config.dataDir, ctx.tenant.id);
    const item = await deleteItem(workflowOf(ctx), store, id, warnFileLeftBehind(services.logger, ctx.tenant.id), { revision, whenDeleted });
    ctx.audit({
      action: 'item.delete',
      targetType: 'item',
      targetId: String(id),
      before: { title: item.title, status: item.status },
      ...(via ? { after: { via } } : {}),
    });
    return item;
  };
  return { notify, move, remove };
}
