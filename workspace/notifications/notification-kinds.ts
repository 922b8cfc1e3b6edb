import { msg } from '../../core/i18n/message';
/** The workflow mails a member can get, each of which they can turn off. */
export const NOTIFICATION_KINDS = ['review_requested', 'item_approved', 'changes_requested'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const NOTIFICATION_LABELS: Record<NotificationKind, string> = {
  review_requested: msg('An item is waiting for my review (approvers)'),
  item_approved: msg('An item I wrote was approved'),
  changes_requested: msg('Changes were requested on an item I wrote'),
};
