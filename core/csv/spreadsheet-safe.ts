/**
 * A cell a spreadsheet could run as a formula (OWASP "CSV injection") gets a leading apostrophe;
 * the stored data is unchanged. Spreadsheets skip leading spaces and line breaks and read the
 * fullwidth signs (＝ ＋ － ＠) like the ASCII ones, so the first visible character decides:
 * = + - @ in either width, or a tab, CR or LF first.
 */
const FORMULA_START = /^(?:[\t\r\n]|\s*[=+\-@\uFF1D\uFF0B\uFF0D\uFF20])/;

/**
 * Whether a value is written with a leading apostrophe: it would run as a formula, or it already
 * starts with apostrophes before such a start (`'=x` is written `''=x`), so that taking one
 * apostrophe off again (fromSpreadsheet) gives every value back as it was.
 */
function takesApostrophe(value: string): boolean {
  return FORMULA_START.test(value.replace(/^'+/, ''));
}

export function spreadsheetSafe(value: string | null | undefined): string {
  if (value == null) return '';
  return takesApostrophe(value) ? `'${value}` : value;
}

/**
 * A cell of a CSV read back (an import of an export, edited in a spreadsheet or not): the
 * apostrophe spreadsheetSafe put before it is taken off, so `'=1+1` is `=1+1` again and a title
 * does not gain an apostrophe each time it goes out and comes back. Any other cell is as it was.
 */
export function fromSpreadsheet(cell: string): string {
  return cell.startsWith("'") && takesApostrophe(cell.slice(1)) ? cell.slice(1) : cell;
}
