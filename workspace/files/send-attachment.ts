import fs from 'node:fs';
import path from 'node:path';
import type { Response } from 'express';
import { NotFoundError, RangeNotSatisfiableError } from '../../core/errors/app-errors';
import type { AttachmentRow } from './attachment-repository';
import { attachmentDisposition } from './file-name';
import type { TenantFileStore } from './tenant-file-store';

/** Sends a stored attachment as a download: its type, a safe name, nosniff and a sandbox; a missing file is a 404. */
export async function sendAttachment(res: Response, store: TenantFileStore, row: AttachmentRow): Promise<void> {
  const file = store.pathOf(row.stored_name);
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
