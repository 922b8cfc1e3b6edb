import fs from 'node:fs';
import path from 'node:path';
import type { Response } from 'express';
import { NotFoundError, RangeNotSatisfiableError } from '../../core/errors/app-errors';
import type { AttachmentRow } from './attachment-repository';
import { attachmentDisposition } from './file-name';
import { isAttachmentContentType } from './allowed-types';
import type { TenantFileStore } from './tenant-file-store';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Sends a stored attachment as a download: its type, a safe name, nosniff and a sandbox; a missing file is a 404.
 * The row's type and hash become headers only when they are what an upload stores (a row of an edited
 * import may hold any text): another type is sent as application/octet-stream, another hash as no ETag.
 */
export async function sendAttachment(res: Response, store: TenantFileStore, row: AttachmentRow): Promise<void> {
  const file = store.pathOf(row.stored_name);
  if (!(await fs.promises.stat(file).catch(() => undefined))?.isFile()) throw new NotFoundError();
  res.set({
    'Content-Type': isAttachmentContentType(row.content_type) ? row.content_type : 'application/octet-stream',
    'Content-Disposition': attachmentDisposition(row.original_name),
    'X-Content-Type-Options': 'nosniff',
    // Should a browser still render it, it gets no script, no plugins, no origin.
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-cache',
  });
  if (SHA256_HEX.test(row.sha256)) res.set('ETag', `"${row.sha256}"`);
  await new Promise<void>((resolve, reject) => {
    // Sent relative to the store's folder: the dot-file rule then looks at the stored name only,
    // not at the data folder's own path (which may well be under a hidden folder, ~/.local/...).
    const options = { root: store.dir, dotfiles: 'deny' as const, lastModified: false, cacheControl: false };
    res.sendFile(path.basename(file), options, (error: (Error & { status?: number }) | undefined) => {
      if (!error || res.headersSent) return resolve();
      for (const header of ['Content-Type', 'Content-Disposition', 'Content-Security-Policy', 'ETag']) res.removeHeader(header);
      // A Range past the end keeps the Content-Range that names the file's size.
      reject(error.status === 416 ? new RangeNotSatisfiableError() : new NotFoundError());
    });
  });
}
