/** What the first bytes of a file say it is, whatever its name or declared type claims. */
export type Sniffed = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'application/pdf' | 'zip' | 'ole' | 'text';

const SIGNATURES: Array<{ type: Sniffed; bytes: number[]; offset?: number }> = [
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38, 0x37, 0x61] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38, 0x39, 0x61] },
  { type: 'application/pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  // Office Open XML and OpenDocument files are ZIP archives; legacy Office files are OLE compound files.
  { type: 'zip', bytes: [0x50, 0x4b, 0x03, 0x04] },
  { type: 'ole', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
];

function startsWith(buffer: Buffer, bytes: number[], offset = 0): boolean {
  return buffer.length >= offset + bytes.length && bytes.every((b, i) => buffer[offset + i] === b);
}

function isWebp(buffer: Buffer): boolean {
  return buffer.toString('latin1', 0, 4) === 'RIFF' && buffer.toString('latin1', 8, 12) === 'WEBP';
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Text: valid UTF-8 with no NUL byte (binary formats nearly always hold one). */
function isText(buffer: Buffer): boolean {
  if (buffer.includes(0)) return false;
  try {
    utf8.decode(buffer);
    return true;
  } catch {
    return false;
  }
}

/**
 * Identifies a file by its magic bytes. SVG, HTML and other markup are text here: they are
 * never accepted as images, and text attachments are served as text/plain.
 */
export function sniffContentType(buffer: Buffer): Sniffed | undefined {
  for (const signature of SIGNATURES) if (startsWith(buffer, signature.bytes, signature.offset)) return signature.type;
  if (isWebp(buffer)) return 'image/webp';
  if (buffer.length && isText(buffer)) return 'text';
  return undefined;
}
