import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { EDITABLE_STATUSES, STATUS_LABELS, type ItemStatus } from '../workflow/item-status';

/**
 * An item's files change only while its content may (draft to approved): once scheduled,
 * published or archived, what goes out is what was approved, files included.
 */
export function assertFilesMayChange(status: ItemStatus | undefined): void {
  if (status === undefined) throw new NotFoundError();
  if (!EDITABLE_STATUSES.includes(status))
    throw new ConflictError(`This item is ${STATUS_LABELS[status].toLowerCase()}; its attachments can no longer change.`);
}
