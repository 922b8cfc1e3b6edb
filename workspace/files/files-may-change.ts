import { msg, nested } from '../../core/i18n/message';
import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { EDITABLE_STATUSES, statusLabel, type ItemStatus } from '../workflow/item-status';

/**
 * An item's files change only while its content may (draft to approved): once scheduled,
 * published or archived, what goes out is what was approved, files included.
 */
export function assertFilesMayChange(status: ItemStatus | undefined): void {
  if (status === undefined) throw new NotFoundError();
  if (!EDITABLE_STATUSES.includes(status))
    throw new ConflictError(msg('This item is {{status}}; its attachments can no longer change.', { status: nested(statusLabel(status), { lower: true }) }));
}
