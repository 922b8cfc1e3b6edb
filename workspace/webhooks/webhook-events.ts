import { msg } from '../../core/i18n/message';

/** Every event a webhook endpoint can subscribe to, with the sentence the form shows (a message, translated by the page). */
export const WEBHOOK_EVENTS = {
  'item.submitted': msg('An item was submitted (or resubmitted) for review'),
  'item.approved': msg('An item was approved (it has all the approvals it needs)'),
  'item.changes_requested': msg('A reviewer asked for changes to an item'),
  'item.scheduled': msg('An item was scheduled for publishing'),
  'item.published': msg('An item was published (now, or on schedule)'),
  'member.joined': msg('Someone joined the workspace'),
  'member.removed': msg('A member was removed or left'),
  'invitation.accepted': msg('An invitation was accepted'),
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEventType[];

export function isWebhookEvent(value: string): value is WebhookEventType {
  return Object.prototype.hasOwnProperty.call(WEBHOOK_EVENTS, value);
}
