/** A page's <main> element and what follows it; throws when the page has none, so a check of it can never pass on nothing. */
export function mainOf(html: string): string {
  const start = html.search(/<main[\s>]/);
  if (start < 0) throw new Error('the page has no <main> element');
  return html.slice(start);
}

/** A page's <main> element alone. */
export function mainOnly(html: string): string {
  const main = mainOf(html);
  return main.slice(0, main.indexOf('</main>') + '</main>'.length);
}
