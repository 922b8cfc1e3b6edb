import { msg } from '../../core/i18n/message';
/** The states a content item moves through (docs/decisions/006-content-workflow.md). */
export const ITEM_STATUSES = ['draft', 'in_review', 'changes_requested', 'approved', 'scheduled', 'published', 'archived'] as const;

export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const STATUS_LABELS: Record<ItemStatus, string> = {
  draft: msg('Draft'),
  in_review: msg('In review'),
  changes_requested: msg('Changes requested'),
  approved: msg('Approved'),
  scheduled: msg('Scheduled'),
  published: msg('Published'),
  archived: msg('Archived'),
};

/** Content (title, body, channel, tags, planned time) can change only before scheduling. */
export const EDITABLE_STATUSES: readonly ItemStatus[] = ['draft', 'in_review', 'changes_requested', 'approved'];
