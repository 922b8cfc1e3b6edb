import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

/** What helmet is asked for: its defaults, images from data: URLs, and no referrer for other sites. */
export function helmetOptions(secureCookies: boolean): HelmetOptions {
  return {
    contentSecurityPolicy: { directives: { 'img-src': ["'self'", 'data:'], 'upgrade-insecure-requests': secureCookies ? [] : null } },
    // No referrer leaves for other sites; within the site, browsers then send a real Origin on
    // form posts (under no-referrer they send "null"), which the same-origin check reads.
    referrerPolicy: { policy: 'same-origin' },
  };
}

/**
 * The headers helmet sets, asked of helmet once at start-up: with these options none of them
 * depends on the request, so every response gets the same list without running helmet's eleven
 * middleware functions each time (test/core/http/security-headers.test.ts compares both).
 */
export function securityHeaders(options: HelmetOptions): ReadonlyArray<readonly [string, string]> {
  const headers: Array<readonly [string, string]> = [];
  const recorder = {
    // Names in lower case, as node keeps them: setting one then allocates no lower-cased copy.
    setHeader: (name: string, value: string | number | readonly string[]) => void headers.push([name.toLowerCase(), String(value)]),
    removeHeader: () => undefined,
    getHeader: () => undefined,
  };
  let failed: unknown;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => void (failed = err));
  if (failed) throw failed instanceof Error ? failed : new Error(String(failed));
  return headers;
}
