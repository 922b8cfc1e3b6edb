import { msg } from '../../core/i18n/message';
import { extensionOf } from './file-name';
import { sniffContentType, type Sniffed } from './sniff-content-type';

interface AllowedType {
  sniffed: Sniffed;
  contentType: string;
  /** For formats the magic bytes cannot tell apart (text, ZIP- and OLE-based documents), the extension decides. */
  extensions?: string[];
}

const OOXML = 'application/vnd.openxmlformats-officedocument';
const ODF = 'application/vnd.oasis.opendocument';

/** Attachments allowed on items: images, PDF, plain text, CSV and office documents. */
const ALLOWED: AllowedType[] = [
  { sniffed: 'image/png', contentType: 'image/png' },
  { sniffed: 'image/jpeg', contentType: 'image/jpeg' },
  { sniffed: 'image/gif', contentType: 'image/gif' },
  { sniffed: 'image/webp', contentType: 'image/webp' },
  { sniffed: 'application/pdf', contentType: 'application/pdf' },
  { sniffed: 'text', contentType: 'text/plain; charset=utf-8', extensions: ['txt', 'md', 'log'] },
  { sniffed: 'text', contentType: 'text/csv; charset=utf-8', extensions: ['csv'] },
  { sniffed: 'zip', contentType: `${OOXML}.wordprocessingml.document`, extensions: ['docx'] },
  { sniffed: 'zip', contentType: `${OOXML}.spreadsheetml.sheet`, extensions: ['xlsx'] },
  { sniffed: 'zip', contentType: `${OOXML}.presentationml.presentation`, extensions: ['pptx'] },
  { sniffed: 'zip', contentType: `${ODF}.text`, extensions: ['odt'] },
  { sniffed: 'zip', contentType: `${ODF}.spreadsheet`, extensions: ['ods'] },
  { sniffed: 'zip', contentType: `${ODF}.presentation`, extensions: ['odp'] },
  { sniffed: 'ole', contentType: 'application/msword', extensions: ['doc'] },
  { sniffed: 'ole', contentType: 'application/vnd.ms-excel', extensions: ['xls'] },
  { sniffed: 'ole', contentType: 'application/vnd.ms-powerpoint', extensions: ['ppt'] },
];

export const ALLOWED_ATTACHMENTS_TEXT = msg(
  'an image (PNG, JPEG, GIF, WebP), a PDF, plain text, CSV or an office document (Word, Excel, PowerPoint, OpenDocument)',
);

/**
 * The content type a file is stored and served with, decided by its bytes (and, where the
 * bytes cannot tell, its extension); never by the type the browser declared. undefined: refused.
 */
export function attachmentContentType(bytes: Buffer, fileName: string): string | undefined {
  const sniffed = sniffContentType(bytes);
  if (!sniffed) return undefined;
  const ext = extensionOf(fileName);
  return ALLOWED.find((t) => t.sniffed === sniffed && (!t.extensions || t.extensions.includes(ext)))?.contentType;
}

/**
 * Whether a stored row's type is one an upload is stored with. A row from elsewhere (an edited
 * import, a row written by hand) may name any type, or text that cannot be a header at all.
 */
export function isAttachmentContentType(type: string): boolean {
  return ALLOWED.some((t) => t.contentType === type);
}

/** Logos: raster images only. SVG can carry script, so it is text here and refused. */
export const LOGO_CONTENT_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/webp'] satisfies Sniffed[];

export function logoContentType(bytes: Buffer): string | undefined {
  const sniffed = sniffContentType(bytes);
  return sniffed && LOGO_CONTENT_TYPES.includes(sniffed) ? sniffed : undefined;
}
