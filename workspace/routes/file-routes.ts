import { msg } from '../../core/i18n/message';
import { limitPolicyOf } from '../../tenant-runtime/limit-check';
import type { Request, RequestHandler } from 'express';
import { NotFoundError } from '../../core/errors/app-errors';
import { flash } from '../../core/http/flash';
import { backToList, returnQuery } from '../../core/http/local-path';
import type { PageLoader, TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { tenantContextOf } from '../../tenant-runtime/tenant-access-middleware';
import type { WorkspaceServices } from '../workspace-services';
import { AttachmentRepository, type AttachmentRow } from '../files/attachment-repository';
import { sendAttachment } from '../files/send-attachment';
import { singleFileUpload, uploadedFile } from '../files/single-file-upload';
import { sweepOrphanFiles } from '../files/sweep-orphan-files';
import { TenantFileStore } from '../files/tenant-file-store';
import { ATTACHMENT_MAX_BYTES, deleteAttachment, uploadAttachment, warnFileLeftBehind } from '../files/upload-attachment';
import { itemIdOf, itemPageForm } from './item-route-helpers';
import { assertFilesMayChange } from '../files/files-may-change';
import { ItemRepository } from '../items/item-repository';
import { loadItemPage } from '../pages/item-page';

/** Looks the file up in this tenant's own database: another tenant's id, `../` or a path is not there. */
export function attachmentOf(ctx: TenantRequestContext, req: Request): AttachmentRow {
  const row = new AttachmentRepository(ctx.db).find(String(req.params.fileId));
  if (!row) throw new NotFoundError();
  return row;
}

/** A refused deletion (its item is past review) shows the page of the file's item, as the list of files was on it, with the reason. */
const attachmentItemPage = {
  view: 'tenant/item',
  load: ((ctx, req) => {
    const { item_id: itemId } = attachmentOf(ctx, req);
    const item = new ItemRepository(ctx.db).find(itemId);
    if (!item) throw new NotFoundError();
    return loadItemPage(ctx, item, returnQuery(req.body?.return, ctx.url(`/items/${itemId}`)));
  }) satisfies PageLoader,
};

/** An unknown item is refused before the upload is read, and so is an item past review (its files are part of what was approved). */
export const itemMustTakeFiles: RequestHandler = (req, res, next) => {
  assertFilesMayChange(new AttachmentRepository(tenantContextOf(res).db).itemStatus(itemIdOf(req)));
  next();
};

/** Attachments on items: upload, download, delete. Bytes are reached only through these routes. */
export function fileRoutes(table: TenantRouteTable, services: Pick<WorkspaceServices, 'config' | 'logger'>): void {
  const storeOf = (ctx: TenantRequestContext) => TenantFileStore.forTenant(services.config.dataDir, ctx.tenant.id);
  const audit = (ctx: TenantRequestContext, action: string, row: AttachmentRow) =>
    ctx.audit({
      action,
      targetType: 'file',
      targetId: row.id,
      after: { item: row.item_id, name: row.original_name, size: row.size_bytes, sha256: row.sha256 },
    });
  const sweep = (ctx: TenantRequestContext) =>
    sweepOrphanFiles(ctx.db, storeOf(ctx)).catch((err: unknown) => services.logger.warn({ err, tenantId: ctx.tenant.id }, 'file sweep failed'));

  table.post(
    '/items/:id/attachments',
    {
      permission: 'content.edit',
      feature: 'attachments',
      // A refused file (its type, its size, none chosen) re-shows the item with the reason at the file field.
      form: itemPageForm,
      before: [itemMustTakeFiles, singleFileUpload('file', ATTACHMENT_MAX_BYTES)],
    },
    async (ctx, req, res) => {
      const itemId = itemIdOf(req);
      const { row, added } = await uploadAttachment(
        ctx.db,
        storeOf(ctx),
        itemId,
        uploadedFile(req, 'file'),
        { id: ctx.actor.userId, name: ctx.actor.name },
        limitPolicyOf(ctx),
      );
      // The same file sent twice at once (a double click) is one attachment, recorded and announced once.
      if (added) {
        audit(ctx, 'file.uploaded', row);
        flash(req, msg('{{name}} was attached.', { name: row.original_name }));
      }
      await sweep(ctx);
      res.redirect(303, ctx.url(`/items/${itemId}#attachments`));
    },
  );

  table.get('/files/:fileId', { permission: 'content.view', feature: 'attachments' }, async (ctx, req, res) => {
    await sendAttachment(res, storeOf(ctx), attachmentOf(ctx, req));
  });

  table.post(
    '/files/:fileId/delete',
    {
      permission: 'content.edit',
      feature: 'attachments',
      form: attachmentItemPage,
      confirm: (ctx, req) => {
        const row = attachmentOf(ctx, req);
        return {
          title: msg('Delete {{name}}?', { name: row.original_name }),
          message: msg('The file is deleted for good.'),
          confirmLabel: msg('Delete the file'),
          cancelHref: `${backToList(req.body?.return, ctx.url(`/items/${row.item_id}`))}#attachments`,
        };
      },
    },
    async (ctx, req, res) => {
      const row = await deleteAttachment(ctx.db, storeOf(ctx), String(req.params.fileId), warnFileLeftBehind(services.logger, ctx.tenant.id));
      audit(ctx, 'file.deleted', row);
      await sweep(ctx);
      flash(req, msg('{{name}} was deleted.', { name: row.original_name }));
      // Back to the page of the item the file was listed on (an older page of its files too).
      res.redirect(303, `${backToList(req.body?.return, ctx.url(`/items/${row.item_id}`))}#attachments`);
    },
  );
}
