/**
 * The notice a redirect named in its query (`?done=password`), looked up among the page's own
 * notices only: any other value, `constructor` or `__proto__` included, shows none.
 */
export function queryNotice<T>(notices: Readonly<Record<string, T>>, value: unknown): T | undefined {
  return typeof value === 'string' && Object.hasOwn(notices, value) ? notices[value] : undefined;
}
