/**
 * A path of this site, safe to redirect to (no open redirect): a string starting with one `/`,
 * without a backslash (`/\evil` is another host to a browser) or a control character, at most 500
 * long. Anything else (an absolute URL, `//evil`, not a string) is undefined.
 */
export function safeLocalPath(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return undefined;
  return value.length <= 500 ? value : undefined;
}

/**
 * Where an action on a row of a paged list sends its user back: the form's `return` field when it
 * is a local path of that same list (`listPath`, its page and filters in the query), else the list's
 * first page. Another site, another path, or a path that only starts like the list's is ignored.
 * `notice`, when given, is set in its query (what the action did, for the page to say).
 */
export function backToList(returnField: unknown, listPath: string, notice?: Record<string, string | number>): string {
  const path = safeLocalPath(returnField);
  const back = path !== undefined && (path === listPath || path.startsWith(`${listPath}?`)) ? path : listPath;
  if (!notice) return back;
  // What the action reports rides in the query too, in place of any the page already had.
  const query = back.includes('?') ? back.slice(back.indexOf('?') + 1) : '';
  const params = new URLSearchParams(query);
  for (const [name, value] of Object.entries(notice)) params.set(name, String(value));
  return `${listPath}?${params.toString()}`;
}

/** The query of a list's page from its validated cursor (`?after=<cursor>`), `` for its first page: what its forms send back as `return`. */
export function afterQuery(cursor: string | undefined): string {
  return cursor === undefined ? '' : `?after=${encodeURIComponent(cursor)}`;
}

/** The query of the list page `backToList` goes back to, as a page's loader reads `req.query` (a form refused on that page shows it again). */
export function returnQuery(returnField: unknown, listPath: string): Record<string, string> {
  return Object.fromEntries(new URL(backToList(returnField, listPath), 'http://local').searchParams);
}
