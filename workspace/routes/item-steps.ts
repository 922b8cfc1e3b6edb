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
    const result = transitionItem(workflowOf(ctx), id, action, input);
    // Written inside the tenant's transaction, so before it commits: a hint that is early costs only a visit. The audit record waits for the commit (decision 009).
    if (result.to === 'scheduled' && result.scheduledAt !== null) services.scheduleHints.noteDue(ctx.tenant.id, result.scheduledAt);
    if (result.eventsQueued) services.webhookHints.noteDue(ctx.tenant.id, Date.now());
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
