import { msg } from '../../core/i18n/message';
import type { Permission } from '../../tenant-runtime/permission-catalogue';
import type { FeatureKey } from '../../tenant-runtime/plan-catalogue';
import type { ItemStatus } from './item-status';

export const TRANSITION_ACTIONS = ['submit', 'resubmit', 'approve', 'request-changes', 'schedule', 'unschedule', 'publish', 'archive', 'restore'] as const;

export type TransitionAction = (typeof TRANSITION_ACTIONS)[number];

export interface Transition {
  action: TransitionAction;
  from: ItemStatus;
  to: ItemStatus;
  permission: Permission;
  label: string;
}

const ARCHIVABLE: ItemStatus[] = ['draft', 'in_review', 'changes_requested', 'approved', 'scheduled'];

/**
 * The one place that says who may move an item from which state to which. The routes are
 * generated from it, the command re-checks it, and the item page shows only the buttons it
 * allows. Every row of one action needs the same permission (a test holds this).
 */
export const TRANSITIONS: readonly Transition[] = [
  { action: 'submit', from: 'draft', to: 'in_review', permission: 'content.edit', label: msg('Submit for review') },
  { action: 'resubmit', from: 'changes_requested', to: 'in_review', permission: 'content.edit', label: msg('Resubmit for review') },
  // With several approvals required, an approval short of the count keeps the item in review.
  { action: 'approve', from: 'in_review', to: 'approved', permission: 'content.approve', label: msg('Approve') },
  { action: 'request-changes', from: 'in_review', to: 'changes_requested', permission: 'content.approve', label: msg('Request changes') },
  { action: 'schedule', from: 'approved', to: 'scheduled', permission: 'content.publish', label: msg('Schedule') },
  { action: 'unschedule', from: 'scheduled', to: 'approved', permission: 'content.publish', label: msg('Unschedule') },
  { action: 'publish', from: 'approved', to: 'published', permission: 'content.publish', label: msg('Publish now') },
  { action: 'publish', from: 'scheduled', to: 'published', permission: 'content.publish', label: msg('Publish now') },
  ...ARCHIVABLE.map((from): Transition => ({ action: 'archive', from, to: 'archived', permission: 'content.publish', label: msg('Archive') })),
  { action: 'restore', from: 'archived', to: 'draft', permission: 'content.publish', label: msg('Restore as draft') },
];

/**
 * Which states an item can be deleted from, with the permission it takes (the delete routes'
 * gate; the command checks both again, and the item page shows the button only when they allow
 * it). A draft never entered the workflow; an archived item was taken out of it, and deleting it
 * is how a workspace makes room under its plan's item limit (docs/decisions/052). Anything else
 * in the workflow is archived first; a published item is the record of what went out and stays.
 */
export const DELETABLE_STATUSES: readonly ItemStatus[] = ['draft', 'archived'];
export const DELETE_PERMISSION: Permission = 'content.edit';

/** Whether a member with these permissions may delete an item in this state. */
export function canDelete(status: ItemStatus, permissions: ReadonlySet<Permission>): boolean {
  return DELETABLE_STATUSES.includes(status) && permissions.has(DELETE_PERMISSION);
}

/**
 * The steps that judge the item's content or send it on (submit, approve, ask for changes,
 * schedule, publish): the item page sends the revision it showed with them, so a step taken on
 * content that changed since is refused. Archiving, unscheduling and restoring do not depend on
 * what the item says.
 */
export const CONTENT_ACTIONS: ReadonlySet<TransitionAction> = new Set<TransitionAction>([
  'submit',
  'resubmit',
  'approve',
  'request-changes',
  'schedule',
  'publish',
]);

/** The permission an action needs, whatever state the item is in. */
export function permissionFor(action: TransitionAction): Permission {
  const row = TRANSITIONS.find((t) => t.action === action);
  if (!row) throw new Error(`no transition ${action}`);
  return row.permission;
}

/** The plan feature an action belongs to: scheduling and unscheduling need `scheduling`. */
export function featureFor(action: TransitionAction): FeatureKey | undefined {
  return action === 'schedule' || action === 'unschedule' ? 'scheduling' : undefined;
}

export function findTransition(action: TransitionAction, from: ItemStatus): Transition | undefined {
  return TRANSITIONS.find((t) => t.action === action && t.from === from);
}

/** The transitions a member with these permissions may start from this state. */
export function transitionsFrom(from: ItemStatus, permissions: ReadonlySet<Permission>): Transition[] {
  return TRANSITIONS.filter((t) => t.from === from && permissions.has(t.permission));
}

/** Commenting is part of writing or reviewing: any of these permissions allows it; viewers only read. */
export const COMMENT_PERMISSIONS: readonly Permission[] = ['content.create', 'content.edit', 'content.approve', 'content.publish'];

export function canComment(permissions: ReadonlySet<Permission>): boolean {
  return COMMENT_PERMISSIONS.some((p) => permissions.has(p));
}

/** What the buttons call an action (its first row's label). */
export function actionLabel(action: TransitionAction): string {
  return TRANSITIONS.find((t) => t.action === action)?.label ?? action;
}
