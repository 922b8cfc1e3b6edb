import { msg, nested } from '../../core/i18n/message';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { ItemRepository, type ItemRow } from '../items/item-repository';
import { ItemHistory } from '../items/item-history';
import { ItemApprovals } from '../items/item-approvals';
import { statusLabel, type ItemStatus } from './item-status';
import { actionLabel, findTransition, permissionFor, type TransitionAction } from './transition-table';
import type { WorkflowContext } from './workflow-context';
import { checkRevision } from './expected-revision';
import { queueEvent } from '../webhooks/webhook-outbox';
import type { WebhookEventType } from '../webhooks/webhook-events';
import { meterWithin } from '../usage/limit-guard';
import { stepJustTaken } from './repeated-step';

export interface TransitionInput {
  note?: string;
  /** Only for `schedule`: when to publish (defaults to the item's planned time); form field `publish_at`. */
  scheduledAt?: number | null;
  /** The revision the step was taken on (the page's, the client's): another current one refuses it (409). */
  revision?: number;
}

export interface TransitionResult {
  from: ItemStatus;
  to: ItemStatus;
  /** The item's planned publishing time after the move (what `schedule` set). */
  scheduledAt: number | null;
  /** What the notifications name: the item's title and its author. */
  title: string;
  createdBy: string | null;
  /** The note given with the move (the changes asked for). */
  note: string | null;
  /** For `approve`: approvals the current revision now has, and how many are needed. */
  approvals?: { count: number; required: number };
  /** Webhook deliveries queued with the move (the caller moves the tenant's dispatcher hint). */
  eventsQueued: number;
  /** The same step sent again by the same member (repeated-step.ts): answered as done, nothing written, nothing to announce. */
  repeated?: true;
}

/** The webhook event a move announces, if any (an approval short of the count announces nothing). */
function eventOf(action: TransitionAction, from: ItemStatus, to: ItemStatus): WebhookEventType | undefined {
  if (from === to) return undefined;
  if (action === 'submit' || action === 'resubmit') return 'item.submitted';
  if (action === 'approve') return 'item.approved';
  if (action === 'request-changes') return 'item.changes_requested';
  if (action === 'schedule') return 'item.scheduled';
  if (action === 'publish') return 'item.published';
  return undefined;
}

/** What a webhook says about an item that moved. */
export function itemEventData(
  item: ItemRow,
  to: ItemStatus,
  at: { scheduledAt: number | null; publishedAt: number | null },
  actor: { id: string | null; name: string },
  note: string | null,
) {
  const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
  return {
    item: {
      id: item.id,
      title: item.title,
      channel: item.channel,
      status: to,
      revision: item.revision,
      scheduled_at: iso(at.scheduledAt),
      published_at: iso(at.publishedAt),
    },
    from: item.status,
    to,
    actor,
    note,
  };
}

/**
 * Moves an item along the workflow. Order of refusals: the action's permission (403), the
 * item in this tenant (404), a revision given that is not the current one (409), the
 * transition from its current state (409), then the tenant's rules. All writes (status,
 * approvals, history) land in one transaction. The same step sent again by the same member (a
 * double click) that would be refused for its own effect is answered as done instead, writing
 * nothing (`repeated`, repeated-step.ts).
 */
export function transitionItem(ctx: WorkflowContext, itemId: number, action: TransitionAction, input: TransitionInput = {}): TransitionResult {
  if (!ctx.permissions.has(permissionFor(action))) throw new ForbiddenError(msg('Your role cannot do this.'), { permission: permissionFor(action) });
  return ctx.db.write(() => {
    const repo = new ItemRepository(ctx.db);
    const item = repo.find(itemId);
    if (!item) throw new NotFoundError();
    checkRevision(item, input.revision);
    const transition = findTransition(action, item.status);
    if (!transition) {
      const done = repeatedStep(ctx, item, action, input);
      if (done) return done;
      throw new ConflictError(
        msg('This item is {{status}}; “{{action}}” does not apply.', {
          status: nested(statusLabel(item.status), { lower: true }),
          action: nested(actionLabel(action)),
        }),
        { itemId, action },
      );
    }
    const now = ctx.now();
    let to = transition.to;
    const note = input.note?.trim() || null;
    let detail: string | null = null;
    let approvals: TransitionResult['approvals'];
    const extra: { scheduledAt?: number | null; publishedAt?: number | null } = {};

    if (action === 'approve') {
      approvals = approve(ctx, item);
      if (!approvals) {
        const done = repeatedStep(ctx, item, action, input);
        if (done) return done;
        throw new ConflictError(msg('You have already approved this revision; another approver is needed.'));
      }
      if (approvals.count < approvals.required) to = item.status;
      detail = msg('Approval {{count}} of {{required}}', { count: approvals.count, required: approvals.required });
    } else if (action === 'request-changes') {
      if (!note) throw ValidationError.single('note', msg('is required: say what should change'));
      new ItemApprovals(ctx.db).clear(item.id, item.revision);
    } else if (action === 'schedule') {
      const at = input.scheduledAt ?? item.scheduled_at;
      if (at == null) throw ValidationError.single('publish_at', msg('is required to schedule'));
      if (at <= now) throw ValidationError.single('publish_at', msg('must be in the future'));
      extra.scheduledAt = at;
    } else if (action === 'publish') {
      meterWithin(ctx.db, ctx.limits, 'items_published_per_day', 1);
      extra.publishedAt = now;
    }

    if (to !== item.status && !repo.setStatus(item.id, item.status, to, extra))
      throw new ConflictError(msg('The item changed meanwhile; reload and try again.'), { itemId });
    new ItemHistory(ctx.db).record({ itemId: item.id, action, from: item.status, to, actor: ctx.actor, detail, note });
    const scheduledAt = extra.scheduledAt !== undefined ? extra.scheduledAt : item.scheduled_at;
    const event = eventOf(action, item.status, to);
    const eventsQueued = event
      ? queueEvent(ctx.db, event, itemEventData(item, to, { scheduledAt, publishedAt: extra.publishedAt ?? item.published_at }, ctx.actor, note), now)
      : 0;
    return {
      from: item.status,
      to,
      scheduledAt,
      approvals,
      title: item.title,
      createdBy: item.created_by,
      note: action === 'request-changes' ? note : null,
      eventsQueued,
    };
  });
}

/** The answer to a step sent again (repeated-step.ts): the first one's move, nothing queued. Undefined: it is no repeat. */
function repeatedStep(ctx: WorkflowContext, item: ItemRow, action: TransitionAction, input: TransitionInput): TransitionResult | undefined {
  const done = stepJustTaken(ctx, item, action, input);
  if (!done) return undefined;
  return {
    from: done.from,
    to: done.to,
    scheduledAt: item.scheduled_at,
    approvals: done.approvals,
    title: item.title,
    createdBy: item.created_by,
    note: action === 'request-changes' ? input.note?.trim() || null : null,
    eventsQueued: 0,
    repeated: true,
  };
}

/** Records the actor's approval of the current revision, under the tenant's rules; undefined: they have approved it already. */
function approve(ctx: WorkflowContext, item: ItemRow): { count: number; required: number } | undefined {
  const approverId = ctx.actor.id;
  if (!approverId) throw new ForbiddenError(msg('Only a member can approve.'));
  if (!ctx.rules.allowSelfApproval && item.created_by === approverId)
    throw new ForbiddenError(msg('Authors may not approve their own items in this workspace.'));
  const store = new ItemApprovals(ctx.db);
  const approvers = store.approvers(item.id, item.revision);
  if (approvers.includes(approverId)) return undefined;
  store.add(item.id, item.revision, approverId);
  return { count: approvers.length + 1, required: ctx.rules.approvalsRequired };
}
