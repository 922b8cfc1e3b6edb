import type { RequestHandler } from 'express';
import { AttachmentRepository, type AttachmentRow } from './attachment-repository';
import { formatSize } from './storage-usage';
import { ATTACHMENT_MAX_BYTES } from './upload-attachment';

const ATTACHMENT_MAX_SIZE = formatSize(ATTACHMENT_MAX_BYTES);

/**
 * Lets any tenant page show an item's attachments (views/partials/attachments.ejs) without
 * its route knowing about files: the list is read only when the partial asks for it.
 */
export function attachmentLocals(): RequestHandler {
  return (req, res, next) => {
    const tenant = req.tenant;
    if (tenant) {
      res.locals.attachmentsOf = (itemId: number | string): AttachmentRow[] => {
        const id = Number(itemId);
        return Number.isSafeInteger(id) && id > 0 ? new AttachmentRepository(tenant.db).listForItem(id) : [];
      };
      res.locals.formatSize = formatSize;
      res.locals.attachmentMaxSize = ATTACHMENT_MAX_SIZE;
    }
    next();
  };
}
