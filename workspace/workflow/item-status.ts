import { msg, verbatim } from '../../core/i18n/message';
import { ITEM_STATUSES, type ItemStatus } from '../../tenant-runtime/item-status-catalogue';

/** The states a content item moves through (docs/decisions/006-content-workflow.md): their list is tenant-runtime's catalogue. */
export { ITEM_STATUSES, type ItemStatus };

export const STATUS_LABELS: Record<ItemStatus, string> = {
  draft: msg('Draft'),
  in_review: msg('In review'),
  changes_requested: msg('Changes requested'),
  approved: msg('Approved'),
  scheduled: msg('Scheduled'),
  published: msg('Published'),
  archived: msg('Archived'),
};

/**
 * What a status is called where people read it. A status the code does not know (a file from
 * another release, or edited by hand) has no label: it is shown as it is stored, never as nothing.
 */
export function statusLabel(status: string): string {
  return Object.hasOwn(STATUS_LABELS, status) ? STATUS_LABELS[status as ItemStatus] : verbatim(status);
}

/** Content (title, body, channel, tags, planned time) can change only before scheduling. */
export const EDITABLE_STATUSES: readonly ItemStatus[] = ['draft', 'in_review', 'changes_requested', 'approved'];
