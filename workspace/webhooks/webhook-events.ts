/** Every event a webhook endpoint can subscribe to, with the sentence the form shows. */
export const WEBHOOK_EVENTS = {
  'item.submitted': 'An item was submitted (or resubmitted) for review',
  'item.approved': 'An item was approved (it has all the approvals it needs)',
  'item.changes_requested': 'A reviewer asked for changes to an item',
  'item.scheduled': 'An item was scheduled for publishing',
  'item.published': 'An item was published (now, or on schedule)',
  'member.joined': 'Someone joined the workspace',
  'member.removed': 'A member was removed or left',
  'invitation.accepted': 'An invitation was accepted',
} as const;

export type WebhookEventType = keyof typeof WEBHOOK_EVENTS;
export const WEBHOOK_EVENT_TYPES = Object.keys(WEBHOOK_EVENTS) as WebhookEventType[];

export function isWebhookEvent(value: string): value is WebhookEventType {
  return Object.prototype.hasOwnProperty.call(WEBHOOK_EVENTS, value);
}
