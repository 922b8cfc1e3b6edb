import type BetterSqlite3 from 'better-sqlite3';

const BEYOND_ASCII = /[^\p{ASCII}]/u;

/**
 * Text as a search compares it: case-folded in full, in every script, then composed: "ÉCOLE" as
 * "école", "Straße", "STRAẞE" and "STRASSE" all as "strasse", a word-final "ς" as "σ", a typed
 * "é" and a pasted "e" with its accent apart as one. Upper then lower case gives the full fold
 * ("ß" is its own lower case; its upper case is "SS"); the capital "ẞ" and the final sigma are the
 * two letters it leaves apart. Composing last puts back together what the case changes took
 * apart ("ǰ" has no capital of its own). SQLite's own lower() and like fold ASCII letters only.
 * ASCII text is only lowered: its upper case has nothing more to give.
 */
export function foldForSearch(text: string): string {
  if (!BEYOND_ASCII.test(text)) return text.toLowerCase();
  return text.toUpperCase().toLowerCase().replace(/ß/g, 'ss').replace(/ς/g, 'σ').normalize('NFC');
}

/** The SQL name of foldForSearch on a connection it was given to (a null stays null). */
export const SEARCH_FOLD = 'tenantry_fold';

/**
 * The characters beyond ASCII whose fold has ASCII in it, in code point order: ß (ss), İ (i and a
 * dot), ı (i), ŉ (ʼn), ſ (s), the Greek question mark (;), ẚ (aʾ), ẞ (ss), the Greek varia (`),
 * the Kelvin sign (k) and the Latin ligatures ﬀ to ﬆ (ff, fi, fl, ffi, ffl, st, st). Only in a text holding one can an
 * ASCII search find more folded than like finds by itself ("STRASSE" in "Straße").
 * test/core/db/search-fold.test.ts checks the list against every code point.
 */
export const FOLDS_INTO_ASCII = '\u00df\u0130\u0131\u0149\u017f\u037e\u1e9a\u1e9e\u1fef\u212a\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06';

const FOLDED_INTO_ASCII = [...FOLDS_INTO_ASCII].map((char) => ({ char, folded: foldForSearch(char) }));

/** `50% off_` -> `%50\% off\_%`: the folded text, matched literally inside like ... escape '\'. */
export function searchPattern(query: string): string {
  return `%${foldForSearch(query).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * A condition: `column` holds `query` in any case (the fold above), with its bindings. A query
 * beyond ASCII reads the column through tenantry_fold. An ASCII query reads it as stored, since
 * like folds ASCII itself and a call per row costs several times the scan; a row like misses is
 * folded as well only when it has a character beyond ASCII (its length in characters is not its
 * length in bytes) and holds one of the FOLDS_INTO_ASCII characters whose fold shares a character
 * with the query ("ß" for "strasse"; none for "zzz", which reads like alone, as before). Measured
 * on 5,000 items (title and body, min of 80 runs on a busy two-core machine): "zzz" 1.2 ms, as
 * before; "STRASSE" 7 ms where few rows have a letter beyond ASCII (2.7 ms before, when it found
 * no "Straße"), up to what a search beyond ASCII costs where most rows hold a "ß" (15 to 35 ms,
 * tenantry_fold on each row; its JavaScript alone is 2 to 5 ms when one word in 100 is accented).
 * The connection must have tenantry_fold either way (SQLite resolves functions when it prepares).
 */
export function searchCondition(column: string, query: string): { sql: string; bindings: string[] } {
  const pattern = searchPattern(query);
  const folded = `${SEARCH_FOLD}(${column}) like ? escape '\\'`;
  if (BEYOND_ASCII.test(query)) return { sql: folded, bindings: [pattern] };
  const typed = foldForSearch(query);
  const near = FOLDED_INTO_ASCII.filter(({ folded: f }) => [...f].some((c) => typed.includes(c))).map(({ char }) => `%${char}%`);
  const plain = `${column} like ? escape '\\'`;
  if (!near.length) return { sql: plain, bindings: [pattern] };
  const holds = near.map(() => `${column} like ?`).join(' or ');
  return {
    sql: `(${plain} or (length(${column}) <> octet_length(${column}) and (${holds}) and ${folded}))`,
    bindings: [pattern, ...near, pattern],
  };
}

/** Makes foldForSearch callable from SQL on this connection, as tenantry_fold(text). */
export function registerSearchFold(connection: BetterSqlite3.Database): void {
  connection.function(SEARCH_FOLD, { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldForSearch(value) : value));
}
