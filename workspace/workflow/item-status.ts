/** The states a content item moves through (docs/decisions/006-content-workflow.md). */
export const ITEM_STATUSES = ['draft', 'in_review', 'changes_requested', 'approved', 'scheduled', 'published', 'archived'] as const;

export type ItemStatus = (typeof ITEM_STATUSES)[number];

export const STATUS_LABELS: Record<ItemStatus, string> = {
  draft: 'Draft',
  in_review: 'In review',
  changes_requested: 'Changes requested',
  approved: 'Approved',
  scheduled: 'Scheduled',
  published: 'Published',
  archived: 'Archived',
};

/** Content (title, body, channel, tags, planned time) can change only before scheduling. */
export const EDITABLE_STATUSES: readonly ItemStatus[] = ['draft', 'in_review', 'changes_requested', 'approved'];
