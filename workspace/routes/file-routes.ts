import fs from 'node:fs';
import type { Request, RequestHandler } from 'express';
import type { Platform } from '../../app/create-platform';
import { NotFoundError } from '../../core/errors/app-errors';
import type { TenantRouteTable } from '../../tenant-runtime/tenant-route-table';
import { AttachmentRepository, type AttachmentRow } from '../files/attachment-repository';
import { attachmentDisposition } from '../files/file-name';
import { singleFileUpload, uploadedFile } from '../files/single-file-upload';
import { sweepOrphanFiles } from '../files/sweep-orphan-files';
import { TenantFileStore } from '../files/tenant-file-store';
import { ATTACHMENT_MAX_BYTES, deleteAttachment, uploadAttachment } from '../files/upload-attachment';

function tenantOf(req: Request) {
  if (!req.tenant) throw new NotFoundError();
  return req.tenant;
}

/** Item ids are positive integers; anything else is simply not an item of this tenant. */
function itemIdOf(req: Request): number {
  const id = /^[1-9]\d{0,15}$/.test(String(req.params.id)) ? Number(req.params.id) : NaN;
  if (!Number.isSafeInteger(id)) throw new NotFoundError();
  return id;
}

/** Looks the file up in this tenant's own database: another tenant's id, `../` or a path is not there. */
function attachmentOf(req: Request): AttachmentRow {
  const row = new AttachmentRepository(tenantOf(req).db).find(String(req.params.fileId));
  if (!row) throw new NotFoundError();
  return row;
}

/** Attachments on items: upload, download, delete. Bytes are reached only through these routes. */
export function fileRoutes(table: TenantRouteTable, platform: Platform): void {
  const storeOf = (req: Request) => TenantFileStore.forTenant(platform.config.dataDir, tenantOf(req).id);
  const audit = (req: Request, action: string, row: AttachmentRow) =>
    platform.audit.record({ action, actorUserId: req.user?.id ?? null, tenantId: tenantOf(req).id, targetType: 'file', targetId: row.id, after: { item: row.item_id, name: row.original_name, size: row.size_bytes, sha256: row.sha256 }, ip: req.ip, userAgent: req.get('user-agent') });
  const sweep = (req: Request) => sweepOrphanFiles(tenantOf(req).db, storeOf(req)).catch((err: unknown) => platform.logger.warn({ err, tenantId: tenantOf(req).id }, 'file sweep failed'));

  /** An unknown item is refused before the upload is read. */
  const itemMustExist: RequestHandler = (req, _res, next) => {
    if (!new AttachmentRepository(tenantOf(req).db).itemExists(itemIdOf(req))) throw new NotFoundError();
    next();
  };

  table.post('/items/:id/attachments', 'content.edit', itemMustExist, singleFileUpload('file', ATTACHMENT_MAX_BYTES), async (req, res) => {
    const tenant = tenantOf(req);
    const itemId = itemIdOf(req);
    const row = await uploadAttachment(tenant.db, storeOf(req), itemId, uploadedFile(req, 'file'), { id: req.user?.id ?? null, name: req.user?.name ?? 'unknown' });
    audit(req, 'file.uploaded', row);
    await sweep(req);
    res.redirect(303, `/t/${tenant.slug}/items/${itemId}#attachments`);
  });

  table.get('/files/:fileId', 'content.view', async (req, res, next) => {
    const row = attachmentOf(req);
    const file = storeOf(req).pathOf(row.stored_name);
    if (!(await fs.promises.stat(file).catch(() => undefined))?.isFile()) throw new NotFoundError();
    res.set({
      'Content-Type': row.content_type,
      'Content-Disposition': attachmentDisposition(row.original_name),
      'X-Content-Type-Options': 'nosniff',
      // Should a browser still render it, it gets no script, no plugins, no origin.
      'Content-Security-Policy': "default-src 'none'; sandbox",
      'Cache-Control': 'private, no-cache',
      ETag: `"${row.sha256}"`,
    });
    res.sendFile(file, { dotfiles: 'deny', lastModified: false, cacheControl: false }, (error) => {
      if (!error || res.headersSent) return;
      for (const header of ['Content-Type', 'Content-Disposition', 'Content-Security-Policy', 'ETag']) res.removeHeader(header);
      next(new NotFoundError());
    });
  });

  table.post('/files/:fileId/delete', 'content.edit', async (req, res) => {
    const tenant = tenantOf(req);
    const row = await deleteAttachment(tenant.db, storeOf(req), String(req.params.fileId));
    audit(req, 'file.deleted', row);
    await sweep(req);
    res.redirect(303, `/t/${tenant.slug}/items/${row.item_id}#attachments`);
  });
}
