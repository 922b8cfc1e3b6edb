/** Text made by msg(): an English key, with its values, translated where it is shown. */
export type Message = string;

/** A value that is itself text to translate (a status, a role), lower-cased when it sits inside a sentence. */
export interface NestedText {
  t: string;
  lower?: boolean;
}

/** A number of bytes inside a message, written as its reader's language writes sizes (17 B, 17 o). */
export interface SizeValue {
  bytes: number;
}

/** A share in whole percent (80 for 80%) inside a message, written as its reader's language writes percents (80%, 80 %). */
export interface PercentValue {
  percent: number;
}

/** Values put into a message's {{placeholders}}; `count` also chooses the plural form. */
export type MessageParams = Record<string, string | number | NestedText | SizeValue | PercentValue>;

/** Marks a value of a message as text to translate too (e.g. a status inside a sentence). */
export function nested(text: string, options: { lower?: boolean } = {}): NestedText {
  return options.lower ? { t: text, lower: true } : { t: text };
}

/** Marks a value of a message as a size, written as the language the message is shown in writes sizes. */
export function size(bytes: number): SizeValue {
  return { bytes };
}

/** Marks a value of a message as a share in whole percent, written with its percent sign as the language the message is shown in writes it. */
export function percent(value: number): PercentValue {
  return { percent: value };
}

/** Between a message's key and its values: a character no typed text or catalogue key holds. */
const SEPARATOR = '\u0000';

/**
 * Marks text shown to people (a flash, a title, an error or a field's reason) for translation.
 * The English text is the key; values travel with it until the page or mail is rendered in its
 * reader's language (a zod message or an error's message can only be a string). Without values
 * the key is returned as it is.
 */
export function msg(key: string, params?: MessageParams): string {
  return params ? `${key}${SEPARATOR}${JSON.stringify(params)}` : key;
}

/** Text people typed (an item's title, a workspace's name) where a message is expected: shown as it is in every language. */
export function verbatim(text: string): string {
  return msg('{{text}}', { text });
}

/** The key and values of a message made by msg(); any other string is a key without values. */
export function unpack(text: string): { key: string; params?: MessageParams } {
  const at = text.indexOf(SEPARATOR);
  if (at < 0) return { key: text };
  try {
    return { key: text.slice(0, at), params: JSON.parse(text.slice(at + 1)) as MessageParams };
  } catch {
    return { key: text.slice(0, at) };
  }
}
