/** The workflow mails a member can get, each of which they can turn off. */
export const NOTIFICATION_KINDS = ['review_requested', 'item_approved', 'changes_requested'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_LABELS: Record<NotificationKind, string> = {
  review_requested: 'An item is waiting for my review (approvers)',
  item_approved: 'An item I wrote was approved',
  changes_requested: 'Changes were requested on an item I wrote',
};
