/**
 * A cell a spreadsheet could run as a formula (OWASP "CSV injection") gets a leading apostrophe;
 * the stored data is unchanged. Spreadsheets skip leading spaces and line breaks and read the
 * fullwidth signs (＝ ＋ － ＠) like the ASCII ones, so the first visible character decides:
 * = + - @ in either width, or a tab, CR or LF first.
 */
const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

export function spreadsheetSafe(value: string | null | undefined): string {
  if (value == null) return '';
  return FORMULA_START.test(value) ? `'${value}` : value;
}
