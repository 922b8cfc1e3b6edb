import { msg } from '../../../core/i18n/message';
import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { ValidationError } from '../../../core/errors/app-errors';
import { onlyFieldsNamed } from '../../../core/http/parse-input';
import { MAX_CSV_BYTES } from './parse-csv';
import { IMPORT_FIELDS } from './column-mapping';

/** What the import steps' forms send: the file or the CSV text, the column choices, what to do with duplicates and invalid rows. */
const IMPORT_FORM_FIELDS = ['file', 'csv', ...IMPORT_FIELDS.map((field) => `map_${field}`), 'on_duplicate', 'on_invalid'];

/**
 * Parses the import steps' multipart forms (multer, in memory): an optional CSV file in
 * `file` and text fields, among them the CSV carried from step to step in `csv`. Runs after
 * the route's permission gate, so only members who may import make the server read an
 * upload; the form's CSRF token travels in the action's query string (docs/decisions/008).
 */
export function csvUpload(): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    defParamCharset: 'utf8',
    // The CSV carried in `csv` comes back from a browser's text box with every line end as CRLF:
    // up to twice the file's size (parseCsv applies the limit counting a CRLF as one byte).
    limits: { fileSize: MAX_CSV_BYTES, files: 1, fields: 12, fieldSize: 2 * MAX_CSV_BYTES + 10_000, parts: 14 },
  }).single('file');
  return (req, res, next) => {
    parse(req, res, (error?: unknown) => {
      if (!error) {
        // The steps' fields and nothing else, as every form with a file: another is a 400 naming it, nothing imported.
        try {
          onlyFieldsNamed(IMPORT_FORM_FIELDS, req.body, ['_csrf']);
        } catch (refused) {
          return next(refused);
        }
        return next();
      }
      // Memory storage writes nothing, so every failure here is about the request itself (a limit,
      // or a malformed or cut-off multipart body): the client's error, never a 500.
      const code = error instanceof multer.MulterError ? error.code : undefined;
      const field = code === 'LIMIT_FIELD_VALUE' ? 'csv' : 'file';
      const message =
        code === 'LIMIT_FILE_SIZE' || code === 'LIMIT_FIELD_VALUE'
          ? msg('must be at most {{size}}', { size: `${MAX_CSV_BYTES / 1_000_000} MB` })
          : code
            ? msg('could not be read: send one CSV file in the file field')
            : msg('could not be read: the upload was malformed or cut off');
      next(ValidationError.single(field, message));
    });
  };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The CSV of the upload step: a chosen file wins over pasted text. A file must be UTF-8 text.
 * A chosen file that holds nothing is said at the file field (the pasted-text field, which the
 * person did not use, is not the one to mark); nothing chosen and nothing pasted is said at the
 * text field by parseCsv.
 */
export function uploadedCsvText(req: Request): string {
  const file = req.file;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const pasted = typeof body.csv === 'string' ? body.csv : '';
  const empty = msg('holds nothing: choose a CSV file whose first line names the columns');
  if (file && file.fieldname === 'file' && file.size > 0) {
    let text: string;
    try {
      text = utf8.decode(file.buffer);
    } catch {
      throw ValidationError.single('file', msg('must be UTF-8 text: save the file as "CSV UTF-8" and choose it again'));
    }
    if (text.includes('\u0000')) throw ValidationError.single('file', msg('must be a CSV text file'));
    if (!text.trim()) throw ValidationError.single('file', empty);
    return text;
  }
  if (file?.originalname && !pasted.trim()) throw ValidationError.single('file', empty);
  return pasted;
}
