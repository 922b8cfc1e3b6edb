/** An element of a parsed page: its tag name (lower case), attributes (names lower case), children and parent. */
export interface HtmlElement {
  name: string;
  attrs: Map<string, string>;
  children: Array<HtmlElement | string>;
  parent: HtmlElement | null;
}

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Elements whose content is text, not markup. */
const RAW_TEXT = new Set(['script', 'style', 'textarea', 'title']);
/** Elements a new one of the same kind closes (`<li>` ... `<li>`, `<p>` ... `<p>`), as HTML's parser does. */
const SELF_CLOSING_SIBLINGS = new Set(['li', 'p', 'option', 'tr', 'td', 'th', 'dt', 'dd']);

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', middot: '·' };

/** Text with its character references read back (`&amp;`, `&#39;`, `&#x2014;`). */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1].toLowerCase() === 'x' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

function attributesOf(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  for (const m of source.matchAll(/([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    const name = m[1].toLowerCase();
    if (!attrs.has(name)) attrs.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return attrs;
}

/**
 * A page parsed into elements: enough of HTML's rules for server-rendered pages (void elements,
 * raw-text elements, comments, a closing tag closing what it encloses, `<li>` and `<p>` closing
 * their open sibling). Throws on a closing tag that closes nothing, so markup broken that way is seen.
 */
export function parseHtml(html: string): HtmlElement {
  const root: HtmlElement = { name: '#document', attrs: new Map(), children: [], parent: null };
  let open = root;
  const tag = /<!--[\s\S]*?-->|<!doctype[^>]*>|<\/([a-z][a-z0-9-]*)\s*>|<([a-z][a-z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/gi;
  let at = 0;
  for (let m = tag.exec(html); m; m = tag.exec(html)) {
    if (m.index > at) open.children.push(decodeEntities(html.slice(at, m.index)));
    at = tag.lastIndex;
    if (m[1]) {
      const name = m[1].toLowerCase();
      let closing: HtmlElement | null = open;
      while (closing && closing.name !== name) closing = closing.parent;
      if (!closing) throw new Error(`</${name}> at ${m.index} closes no open element`);
      open = closing.parent as HtmlElement;
    } else if (m[2]) {
      const name = m[2].toLowerCase();
      if (SELF_CLOSING_SIBLINGS.has(name) && open.name === name) open = open.parent as HtmlElement;
      const element: HtmlElement = { name, attrs: attributesOf(m[3]), children: [], parent: open };
      open.children.push(element);
      if (RAW_TEXT.has(name)) {
        const end = html.toLowerCase().indexOf(`</${name}`, at);
        const stop = end < 0 ? html.length : end;
        element.children.push(name === 'script' || name === 'style' ? html.slice(at, stop) : decodeEntities(html.slice(at, stop)));
        tag.lastIndex = at = stop;
        const close = /^<\/[a-z0-9]+\s*>/i.exec(html.slice(stop));
        if (close) tag.lastIndex = at = stop + close[0].length;
      } else if (!VOID.has(name) && !m[3].trimEnd().endsWith('/')) open = element;
    }
  }
  if (at < html.length) open.children.push(decodeEntities(html.slice(at)));
  return root;
}

/** Every element under `node`, in document order. */
export function elementsOf(node: HtmlElement): HtmlElement[] {
  const out: HtmlElement[] = [];
  const walk = (el: HtmlElement) => {
    for (const child of el.children)
      if (typeof child !== 'string') {
        out.push(child);
        walk(child);
      }
  };
  walk(node);
  return out;
}

/** The text inside an element, its white space collapsed. */
export function textOf(el: HtmlElement): string {
  const parts: string[] = [];
  const walk = (node: HtmlElement) => {
    for (const child of node.children) {
      if (typeof child === 'string') parts.push(child);
      else if (child.name !== 'script' && child.name !== 'style') walk(child);
    }
  };
  walk(el);
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** The nearest enclosing element of the name, or undefined. */
export function closest(el: HtmlElement, name: string): HtmlElement | undefined {
  for (let p = el.parent; p; p = p.parent) if (p.name === name) return p;
  return undefined;
}

/** How an element reads in a report: its opening tag. */
export function openingTag(el: HtmlElement): string {
  const attrs = [...el.attrs].map(([k, v]) => (v === '' ? k : `${k}="${v}"`)).join(' ');
  return `<${el.name}${attrs ? ` ${attrs}` : ''}>`;
}
