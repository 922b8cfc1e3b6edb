/** A form of a page as a browser would send it: its action, and its hidden fields (their `&amp;` read back). */
export interface PageForm {
  action: string;
  fields: Record<string, string>;
}

const unescape = (text: string) => text.replace(/&#34;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** The page's POST forms whose action matches `action`, in their order. */
export function postFormsOf(html: string, action: RegExp): PageForm[] {
  return [...html.matchAll(/<form method="post"[^>]*action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)]
    .filter((m) => action.test(unescape(m[1])))
    .map((m) => ({
      action: unescape(m[1]),
      fields: Object.fromEntries([...m[2].matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((f) => [f[1], unescape(f[2])])),
    }));
}
