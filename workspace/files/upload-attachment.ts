import { msg, nested } from '../../core/i18n/message';
import { assertFilesMayChange } from './files-may-change';
import crypto from 'node:crypto';
import { NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { isDiskFull } from '../../core/errors/disk-full';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { ALLOWED_ATTACHMENTS_TEXT, attachmentContentType } from './allowed-types';
import { AttachmentRepository, newAttachmentId, type AttachmentRow } from './attachment-repository';
import { sanitiseFileName } from './file-name';
import type { UploadedFile } from './single-file-upload';
import type { LimitPolicy } from '../../tenant-runtime/limit-check';
import { isDoubleSubmit } from '../../core/http/double-submit';
import { ensureRoom } from '../usage/limit-guard';
import type { TenantFileStore } from './tenant-file-store';
import type { Logger } from '../../core/logging/logger';
import { pausePoint } from '../../core/process/pause-point';

export const ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;

export interface Uploader {
  id: string | null;
  name: string;
}

export interface UploadOutcome {
  row: AttachmentRow;
  /** false: the same file was just attached by the same person (a double click); `row` is that one. */
  added: boolean;
}

/**
 * Attaches a file to an item: checks size, type (by its bytes) and the plan's storage limit, writes
 * the bytes under a generated name, then records the row. If the row cannot be written the
 * file is removed again. The same file (name and bytes) attached to the item by the same person
 * within DOUBLE_SUBMIT_MS is that attachment again: nothing is added. `whenRecorded` runs inside
 * the write that records the row (or finds it there): the API stores its answer there (decision 024).
 */
export async function uploadAttachment(
  db: TenantDatabase,
  store: TenantFileStore,
  itemId: number,
  file: UploadedFile,
  uploader: Uploader,
  limits?: LimitPolicy,
  whenRecorded: (row: AttachmentRow) => void = () => undefined,
): Promise<UploadOutcome> {
  const repo = new AttachmentRepository(db);
  assertFilesMayChange(repo.itemStatus(itemId));
  if (file.size > ATTACHMENT_MAX_BYTES)
    throw ValidationError.single('file', msg('must be at most {{count}} MB', { count: ATTACHMENT_MAX_BYTES / (1024 * 1024) }));
  const originalName = sanitiseFileName(file.originalName);
  const contentType = attachmentContentType(file.buffer, originalName);
  if (!contentType)
    throw ValidationError.single('file', msg('must be {{allowed}}; its content does not match an allowed type', { allowed: nested(ALLOWED_ATTACHMENTS_TEXT) }));
  ensureRoom(db, limits, 'storage_bytes', file.size);

  const storedName = await store.write(file.buffer);
  pausePoint('attachment:file-written');
  const row: AttachmentRow = {
    id: newAttachmentId(),
    item_id: itemId,
    stored_name: storedName,
    original_name: originalName,
    content_type: contentType,
    size_bytes: file.size,
    sha256: crypto.createHash('sha256').update(file.buffer).digest('hex'),
    uploaded_by: uploader.id,
    uploaded_by_name: uploader.name,
    created_at: Date.now(),
  };
  let outcome: UploadOutcome;
  try {
    outcome = db.write(() => {
      // Checked again under the write lock: the item may have moved on, and two uploads at once cannot both squeeze under the limit.
      assertFilesMayChange(repo.itemStatus(itemId));
      const last = uploader.id === null ? undefined : repo.newestOnItemBy(itemId, uploader.id);
      if (last && last.sha256 === row.sha256 && last.original_name === row.original_name && isDoubleSubmit(last.created_at, row.created_at)) {
        whenRecorded(last);
        return { row: last, added: false };
      }
      ensureRoom(db, limits, 'storage_bytes', file.size);
      repo.insert(row);
      whenRecorded(row);
      return { row, added: true };
    });
  } catch (error) {
    await store.remove(storedName);
    throw error;
  }
  if (!outcome.added) await store.remove(storedName);
  return outcome;
}

/** Told of a file left on disk after its rows were deleted and committed (the orphan sweep removes it later). */
export type FileLeftBehind = (storedName: string, error: unknown) => void;

/** Logs a file left behind as a warning, with the tenant and the stored name (a random name, no secret). */
export function warnFileLeftBehind(logger: Pick<Logger, 'warn'>, tenantId: string): FileLeftBehind {
  return (storedName, err) => logger.warn({ err, tenantId, storedName }, 'a deleted file could not be removed; the orphan sweep removes it later');
}

/**
 * Deletes rows that hold stored files (`deleteRows`: undefined when there was nothing to delete),
 * then the files (one left behind by a crash is swept later). Once the rows are deleted the delete
 * has happened: a file that cannot be removed then (its permissions, say) is told to `leftBehind`
 * and left for the orphan sweep, never an error. On a full disk the rows cannot be deleted (SQLite
 * must write to do it), so the files go first, which frees the space, and the rows are deleted
 * then: deleting is how space is freed from the UI. A row whose bytes are gone answers 404 and
 * goes when deleted again.
 */
export async function deleteWithFiles<T>(
  store: TenantFileStore,
  storedNames: readonly string[],
  deleteRows: () => T | undefined,
  leftBehind: FileLeftBehind,
): Promise<T | undefined> {
  let deleted: T | undefined;
  try {
    deleted = deleteRows();
  } catch (error) {
    if (!isDiskFull(error)) throw error;
    for (const name of storedNames) await store.remove(name);
    pausePoint('files:files-removed');
    return deleteRows();
  }
  if (deleted === undefined) return undefined;
  pausePoint('files:rows-deleted');
  for (const name of storedNames) await store.remove(name).catch((error: unknown) => leftBehind(name, error));
  return deleted;
}

/** Removes the row, then the bytes (deleteWithFiles). */
export async function deleteAttachment(db: TenantDatabase, store: TenantFileStore, id: string, leftBehind: FileLeftBehind): Promise<AttachmentRow> {
  const repo = new AttachmentRepository(db);
  const row = repo.find(id);
  if (!row) throw new NotFoundError();
  assertFilesMayChange(repo.itemStatus(row.item_id));
  const deleted = await deleteWithFiles(store, [row.stored_name], () => (repo.delete(row.id) ? row : undefined), leftBehind);
  if (!deleted) throw new NotFoundError();
  return row;
}
