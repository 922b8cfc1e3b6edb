import { msg } from '../../core/i18n/message';
import type { RequestHandler } from 'express';
import multer from 'multer';
import { ValidationError } from '../../core/errors/app-errors';

/** An uploaded file, held in memory (small limits) so its bytes can be checked before anything is written. */
export interface UploadedFile {
  originalName: string;
  buffer: Buffer;
  size: number;
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MB` : `${bytes / 1024} KB`;
}

/**
 * Parses a multipart form holding one file in `field`. Runs after the permission gate, so
 * nobody without the right can make the server read an upload. Limit breaches become a 400
 * naming the field. (The CSRF token of a multipart form travels in the action's query string:
 * docs/decisions/008-tenant-settings.md.)
 */
export function singleFileUpload(field: string, maxBytes: number): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    // Browsers send UTF-8 file names without saying so.
    defParamCharset: 'utf8',
    limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 8 * 1024, parts: 12 },
  }).single(field);
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (!error) return next();
      // Memory storage writes nothing, so every failure here is about the request itself
      // (a limit, or a malformed or cut-off multipart body): the client's error, not ours.
      const code = error instanceof multer.MulterError ? error.code : undefined;
      const message =
        code === 'LIMIT_FILE_SIZE'
          ? msg('must be at most {{size}}', { size: sizeText(maxBytes) })
          : code === 'LIMIT_UNEXPECTED_FILE' || code === 'LIMIT_FILE_COUNT'
            ? msg('must be sent alone, in this field')
            : msg('could not be read: the upload was too large or malformed');
      next(ValidationError.single(field, message));
    });
  };
}

/** The file of a parsed upload, or a 400 naming the field. */
export function uploadedFile(req: Parameters<RequestHandler>[0], field: string): UploadedFile {
  const file = req.file;
  if (!file || file.fieldname !== field) throw ValidationError.single(field, msg('is required: choose a file'));
  if (!file.size) throw ValidationError.single(field, msg('is empty'));
  return { originalName: file.originalname, buffer: file.buffer, size: file.size };
}
