import request from 'supertest';
import type { Express } from 'express';
import { TEST_PASSWORD } from './factories';

interface StoredCookie {
  name: string;
  value: string;
  /** The host that set it (host-only) or the Domain it named, in lower case without a leading dot. */
  domain: string;
  hostOnly: boolean;
}

/** The Set-Cookie headers of a response, as a list. */
export function setCookiesOf(res: { headers: Record<string, unknown> }): string[] {
  const header = res.headers['set-cookie'];
  return Array.isArray(header) ? header : typeof header === 'string' ? [header] : [];
}

/** The Set-Cookie header of the named cookie, or undefined. */
export function setCookieNamed(res: { headers: Record<string, unknown> }, name: string): string | undefined {
  return setCookiesOf(res).find((c) => c.startsWith(`${name}=`));
}

/** The Domain attribute of a Set-Cookie header, or undefined for a host-only cookie. */
export function cookieDomainOf(setCookie: string): string | undefined {
  return /;\s*domain=([^;]+)/i.exec(setCookie)?.[1].trim();
}

/** Reads the CSRF token from a page's first form. */
export function csrfTokenOf(html: string): string | undefined {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
}

/**
 * A client that keeps cookies across host names the way a browser does: a cookie naming a
 * Domain is sent to that host and every host under it, a host-only cookie to the host that
 * set it only, and a cookie whose Domain does not cover the host that set it is refused.
 * Requests name their host in an absolute URL (`http://alpha.example.test/items`), which
 * becomes the Host header. (supertest's own agent matches cookies against 127.0.0.1.)
 */
export class HostBrowser {
  private readonly jar = new Map<string, StoredCookie>();

  constructor(private readonly app: Express) {}

  /** Signs in through the login form on `origin` (e.g. `http://example.test`); returns the answer to the form. */
  static async signedIn(app: Express, email: string, origin: string, password = TEST_PASSWORD): Promise<HostBrowser> {
    const browser = new HostBrowser(app);
    const res = await browser.signIn(email, origin, password);
    if (res.status !== 302) throw new Error(`sign-in failed for ${email}: ${res.status}`);
    return browser;
  }

  async signIn(email: string, origin: string, password = TEST_PASSWORD) {
    return this.postForm(`${origin}/login`, { email, password }, `${origin}/login`);
  }

  /** A GET; `hostHeader` replaces the URL's host in the Host header (e.g. to send it in upper case). */
  get(url: string, hostHeader?: string) {
    return this.send('get', url, undefined, hostHeader);
  }

  /** POSTs a form like a browser: with the CSRF token of a page of the same session (`tokenPage`). */
  async postForm(url: string, body: Record<string, string>, tokenPage: string) {
    const page = await this.get(tokenPage);
    const _csrf = csrfTokenOf(page.text);
    if (!_csrf) throw new Error(`no CSRF token on ${tokenPage} (status ${page.status})`);
    return this.send('post', url, { ...body, _csrf });
  }

  /** The names of the cookies this browser would send to the host. */
  cookieNamesFor(hostname: string): string[] {
    return this.cookiesFor(hostname).map((c) => c.name);
  }

  private async send(method: 'get' | 'post', url: string, form?: Record<string, string>, hostHeader?: string) {
    const target = new URL(url);
    const host = hostHeader ?? target.host;
    const hostname = host.replace(/:\d+$/, '').toLowerCase();
    const agent = request(this.app);
    let req = (method === 'get' ? agent.get(target.pathname + target.search) : agent.post(target.pathname + target.search)).set('Host', host);
    const cookies = this.cookiesFor(hostname);
    if (cookies.length) req = req.set('Cookie', cookies.map((c) => `${c.name}=${c.value}`).join('; '));
    if (form) req = req.type('form').send(form);
    const res = await req;
    for (const header of setCookiesOf(res)) this.store(hostname, header);
    return res;
  }

  private cookiesFor(hostname: string): StoredCookie[] {
    return [...this.jar.values()].filter((c) => (c.hostOnly ? hostname === c.domain : hostname === c.domain || hostname.endsWith(`.${c.domain}`)));
  }

  private store(hostname: string, header: string): void {
    const [pair, ...attributes] = header.split(';');
    const eq = pair.indexOf('=');
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    const named = cookieDomainOf(header)?.replace(/^\./, '').toLowerCase();
    if (named && hostname !== named && !hostname.endsWith(`.${named}`)) return;
    const cookie: StoredCookie = { name, value, domain: named ?? hostname, hostOnly: !named };
    const key = `${cookie.hostOnly ? 'host' : 'domain'}|${cookie.domain}|${name}`;
    const expired = attributes.some((a) => {
      const [k, v = ''] = a.split('=').map((s) => s.trim());
      if (/^max-age$/i.test(k)) return Number(v) <= 0;
      if (/^expires$/i.test(k)) return Date.parse(v) <= Date.now();
      return false;
    });
    if (expired) this.jar.delete(key);
    else this.jar.set(key, cookie);
  }
}
