import { isDoubleSubmit } from '../../core/http/double-submit';
import { ItemApprovals } from '../items/item-approvals';
import { ItemHistory } from '../items/item-history';
import type { ItemRow } from '../items/item-repository';
import type { ItemStatus } from './item-status';
import type { TransitionAction } from './transition-table';
import type { WorkflowContext } from './workflow-context';

/** What a step sent again is answered with: the first one's move, as the item still shows it. */
export interface StepJustTaken {
  from: ItemStatus;
  to: ItemStatus;
  /** For `approve`: the approvals the current revision has, and how many are needed. */
  approvals?: { count: number; required: number };
}

/**
 * The step this one repeats, when it is the same step sent again by the same member (a double
 * click on Submit, a browser sending the form again): the item's last history entry is that step
 * by that member within DOUBLE_SUBMIT_MS, with the same note, and the item is still as it left it
 * (its status, the time a schedule set, the member's approval of the current revision). Asked
 * inside the step's write, once the revision it was sent with is found current and the step
 * would otherwise be refused ("it is in review; submit does not apply", "you have already
 * approved"): the repeat is answered as done and writes nothing (no history entry, approval,
 * webhook delivery, mail or audit record). Undefined for anything else (another member, another
 * step or note in between, long after, the scheduler): the step is refused as always (409).
 */
export function stepJustTaken(
  ctx: WorkflowContext,
  item: ItemRow,
  action: TransitionAction,
  input: { note?: string; scheduledAt?: number | null },
): StepJustTaken | undefined {
  const memberId = ctx.actor.id;
  if (!memberId) return undefined;
  const last = new ItemHistory(ctx.db).latest(item.id);
  if (!last || last.action !== action || last.actor_id !== memberId || last.to_status !== item.status || !last.from_status) return undefined;
  if (!isDoubleSubmit(last.created_at, ctx.now()) || last.note !== (input.note?.trim() || null)) return undefined;
  if (action === 'schedule' && input.scheduledAt != null && input.scheduledAt !== item.scheduled_at) return undefined;
  if (action !== 'approve') return { from: last.from_status, to: item.status };
  const approvers = new ItemApprovals(ctx.db).approvers(item.id, item.revision);
  if (!approvers.includes(memberId)) return undefined;
  return { from: last.from_status, to: item.status, approvals: { count: approvers.length, required: ctx.rules.approvalsRequired } };
}
