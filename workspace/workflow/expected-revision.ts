import { msg } from '../../core/i18n/message';
import { RevisionConflictError } from '../../core/errors/app-errors';
import { isStaleChange } from '../../core/http/revision-form';
import type { ItemRow } from '../items/item-repository';

/**
 * A change or step made on what a page or client read: called inside the command's write, on the
 * row it changes, so nobody's change lands between the check and the write. With no expected
 * revision (the bulk actions, the CSV import, an API client that sends none) nothing is checked.
 * An edit that would change nothing (`changes`: the same form sent twice) is no conflict, as for
 * every revisioned form (`isStaleChange`); a step (approve, publish, delete) always changes something.
 */
export function checkRevision(item: ItemRow, expected: number | undefined, changes: () => boolean = () => true): void {
  if (!isStaleChange(item.revision, expected, changes)) return;
  throw new RevisionConflictError(
    msg('This item changed since you opened it (now revision {{revision}}): check the changes and try again.', { revision: item.revision }),
    item.revision,
    { itemId: item.id, expected },
  );
}
