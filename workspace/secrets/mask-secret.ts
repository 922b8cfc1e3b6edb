/** A vendor prefix such as "sk-", "ghp_" or "xoxb-": safe to show, and it helps tell keys apart. */
const VENDOR_PREFIX = /^[A-Za-z]{1,5}[-_]/;
const SHOWN_TAIL = 4;
/** Below this, even four characters are too large a share of the value to show. */
const MIN_LENGTH_FOR_TAIL = 12;
/** The prefix is shown only if this many characters stay hidden between it and the tail. */
const MIN_HIDDEN = 12;

/**
 * The only form in which a secret is ever shown after it is saved: "sk-…abcd". Short values
 * show nothing of themselves at all.
 */
export function maskSecret(value: string): string {
  const chars = [...value];
  if (chars.length < MIN_LENGTH_FOR_TAIL) return '••••';
  const tail = chars.slice(-SHOWN_TAIL).join('');
  const prefix = VENDOR_PREFIX.exec(value)?.[0] ?? '';
  const hidden = chars.length - SHOWN_TAIL - [...prefix].length;
  return `${hidden >= MIN_HIDDEN ? prefix : ''}…${tail}`;
}
