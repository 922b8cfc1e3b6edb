/**
 * The states a content item moves through (docs/decisions/006-content-workflow.md), beside the
 * permission and plan catalogues: the workspace's workflow moves items through them, and the
 * control plane holds an imported file's items to them (a status the code does not know has no
 * transition, no label and no card on the dashboard).
 */
export const ITEM_STATUSES = ['draft', 'in_review', 'changes_requested', 'approved', 'scheduled', 'published', 'archived'] as const;

export type ItemStatus = (typeof ITEM_STATUSES)[number];
