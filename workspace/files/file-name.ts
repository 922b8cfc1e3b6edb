const MAX_NAME = 200;

/** The lower-case extension without its dot ('' when there is none). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * The uploader's file name made safe to store and show: no folders, no control or quoting
 * characters, no text-direction marks (`report\u202Efdp.txt` would show as "reporttxt.pdf"), no
 * leading dots, at most 200 characters (keeping the extension). It is only ever a label and a
 * download name; files are stored under generated names.
 */
export function sanitiseFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base
    .normalize('NFC')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f-\u009f"<>:|?*\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '')
    .trim();
  const chars = [...clean];
  if (chars.length <= MAX_NAME) return clean || 'file';
  const ext = extensionOf(clean);
  const keep = ext && ext.length < 16 ? `.${ext}` : '';
  return chars.slice(0, MAX_NAME - [...keep].length).join('') + keep;
}

/** RFC 5987 encoding for `filename*`: percent-encode everything outside attr-char. */
function encodeRfc5987(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * `attachment; filename="ascii fallback"; filename*=UTF-8''…` (RFC 6266 + RFC 5987): the
 * UTF-8 name for browsers that read filename*, a plain ASCII one for the rest.
 */
export function attachmentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
