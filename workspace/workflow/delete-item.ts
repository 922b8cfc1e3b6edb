import { msg } from '../../core/i18n/message';
import { ConflictError, ForbiddenError, NotFoundError } from '../../core/errors/app-errors';
import { ItemRepository, type ItemRow } from '../items/item-repository';
import { AttachmentRepository } from '../files/attachment-repository';
import { deleteWithFiles, type FileLeftBehind } from '../files/upload-attachment';
import type { TenantFileStore } from '../files/tenant-file-store';
import { DELETABLE_STATUSES, DELETE_PERMISSION, findTransition } from './transition-table';
import type { WorkflowContext } from './workflow-context';
import { checkRevision } from './expected-revision';

/** Refuses (409) an item the transition table does not let go from its state, saying what to do instead. */
function assertDeletable(item: ItemRow): void {
  if (DELETABLE_STATUSES.includes(item.status)) return;
  throw new ConflictError(
    findTransition('archive', item.status)
      ? msg('Only drafts and archived items can be deleted; archive this item first.')
      : msg('A published item cannot be deleted: it is the record of what went out.'),
    { itemId: item.id },
  );
}

/**
 * Deletes an item the transition table lets go (a draft, an archived item) with everything it
 * holds: tags, comments, approvals, history, attachments and their files. Returns the row as it
 * was deleted. Refusals: the permission 403, not in this tenant (or deleted meanwhile) 404, a
 * state it cannot be deleted from 409 (also when it moved on since it was read), and with an
 * expected `revision` (an API client's "delete only if unchanged") another revision 409
 * revision_conflict, checked in the delete itself. A file that cannot be removed once the rows are
 * gone is told to `leftBehind` (deleteWithFiles). `whenDeleted` runs inside the write that deletes
 * the rows, with the row as it was: the API stores its answer there (decision 024).
 */
export async function deleteItem(
  ctx: WorkflowContext,
  store: TenantFileStore,
  id: number,
  leftBehind: FileLeftBehind,
  options: { revision?: number; whenDeleted?: (item: ItemRow) => void } = {},
): Promise<ItemRow> {
  if (!ctx.permissions.has(DELETE_PERMISSION)) throw new ForbiddenError(msg('Your role cannot delete items.'), { permission: DELETE_PERMISSION });
  const items = new ItemRepository(ctx.db);
  const item = items.find(id);
  if (!item) throw new NotFoundError();
  assertDeletable(item);
  checkRevision(item, options.revision);
  const files = new AttachmentRepository(ctx.db).listForItem(id).map((a) => a.stored_name);
  const deleteRows = () =>
    ctx.db.write(() => {
      const row = items.deleteIfIn(id, DELETABLE_STATUSES, options.revision);
      if (row) options.whenDeleted?.(row);
      return row;
    });
  const deleted = await deleteWithFiles(store, files, deleteRows, leftBehind);
  if (deleted) return deleted;
  // Deleted by another request meanwhile (404), or moved on to a state that keeps it or to another revision (409).
  const now = items.find(id);
  if (!now) throw new NotFoundError();
  assertDeletable(now);
  checkRevision(now, options.revision);
  throw new ConflictError(msg('The item changed while it was being deleted; try again.'), { itemId: id });
}
