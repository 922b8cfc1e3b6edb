/**
 * Characters that show nothing on their own: control and format characters (NUL, zero-width spaces and joiners,
 * direction marks, the byte order mark), white space, the code points Unicode says to ignore in
 * display (fillers such as U+3164 and U+115F, variation selectors, U+034F) and the blank braille
 * pattern U+2800. A joiner inside an emoji sequence is kept where it is; only text made of
 * nothing else counts as empty.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{White_Space}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** Whether the text shows anything: a title of zero-width characters alone is an empty, unclickable link. */
export function showsSomething(text: string): boolean {
  return text.replace(INVISIBLE, '').length > 0;
}

/**
 * Direction overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069). In a name shown
 * among other text they make it read as something else ("x\u202Elive" shows as "xevil"); the
 * marks that languages written right to left need (U+200E, U+200F, U+061C) are not among them.
 */
export const DIRECTION_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/;

export function hasNoDirectionControls(text: string): boolean {
  return !DIRECTION_CONTROLS.test(text);
}

/** Direction controls, or letters of a script written right to left (Hebrew, Arabic, Syriac, Thaana, N'Ko and their presentation forms). */
const NEEDS_ISOLATING = /[\u202a-\u202e\u2066-\u2069\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe]/;

/**
 * Text quoted inside a sentence of plain text (an item's title in a mail): when it holds direction
 * controls or right-to-left letters, it is set between FIRST STRONG ISOLATE and POP DIRECTIONAL
 * ISOLATE, so nothing in it can turn the rest of the sentence around (U+202E in a title would read
 * the sentence after it backwards). Other text is returned as it is.
 */
export function isolated(text: string): string {
  return NEEDS_ISOLATING.test(text) ? `\u2068${text}\u2069` : text;
}

/** A UTF-16 surrogate without its other half: half a character, which storage turns into replacement marks. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether the text is whole characters only (JSON can carry `"\ud800"`, which no keyboard types). */
export function isWholeText(text: string): boolean {
  return !LONE_SURROGATE.test(text);
}

/** One line of text: no C0 or C1 control character (line breaks, NUL, escape sequences). */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const ONE_LINE_TEXT = /^[^\u0000-\u001f\u007f-\u009f]*$/;
