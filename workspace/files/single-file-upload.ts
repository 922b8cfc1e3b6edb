import { msg } from '../../core/i18n/message';
import type { RequestHandler } from 'express';
import multer from 'multer';
import { ValidationError } from '../../core/errors/app-errors';
import { onlyFieldsNamed, unknownFieldProblem } from '../../core/http/parse-input';

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
      if (!error) {
        // The form takes its file and nothing else (as a JSON body refuses a field it does not take):
        // a field sent beside it (a caption, a typo) is a 400 naming it, nothing stored. The CSRF
        // token, which a form may carry in its body too, passes.
        try {
          onlyFieldsNamed([field], req.body, ['_csrf']);
        } catch (refused) {
          return next(refused);
        }
        return next();
      }
      // Memory storage writes nothing, so every failure here is about the request itself
      // (a limit, or a malformed or cut-off multipart body): the client's error, not ours.
      const code = error instanceof multer.MulterError ? error.code : undefined;
      // A file under another name is a field this form does not take, named as such.
      if (code === 'LIMIT_UNEXPECTED_FILE' && (error as multer.MulterError).field !== field)
        return next(new ValidationError([unknownFieldProblem(String((error as multer.MulterError).field), [field])]));
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
