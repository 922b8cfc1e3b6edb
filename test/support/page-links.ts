import type { Agent } from './http-agent';

/** The address of the page's link labelled `label` (its `&amp;` read back), or undefined when there is none. */
export function linkOf(html: string, label: string): string | undefined {
  return new RegExp(`<a href="([^"]+)">${label}</a>`).exec(html)?.[1]?.replace(/&amp;/g, '&');
}

/**
 * Follows a list's "Next" links from `path` to its last page, handing each page (and its index,
 * from 0) to `visit`; answers how many pages there were.
 */
export async function walkNextLinks(agent: Agent, path: string, visit: (html: string, index: number) => void): Promise<number> {
  let next: string | undefined = path;
  let pages = 0;
  while (next) {
    const res = await agent.get(next);
    if (res.status !== 200) throw new Error(`${next} answered ${res.status}`);
    visit(res.text, pages++);
    next = linkOf(res.text, 'Next');
  }
  return pages;
}
