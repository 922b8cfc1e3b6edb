import type { Express, Request, Response } from 'express';

/** Told once per finished request, with its duration in seconds. */
export type RequestObserver = (req: Request, res: Response, seconds: number) => void;

interface MatchedRoute {
  path: string;
  baseUrl: string;
  params: Record<string, unknown>;
}

const MATCHED = Symbol('matched route');
const ROUTE = Symbol('route');
type Tracked = Request & { [MATCHED]?: MatchedRoute; [ROUTE]?: unknown };

/**
 * Notes the route each request matched, for request metrics (the request's duration is taken by
 * core/http/request-log.ts). The router sets `req.route` when a route matches; the mount path
 * and parameters are noted at that moment, because an error passed on later unwinds them before
 * the response ends. The setter that notes them is defined once, on the app's request prototype
 * (express's `app.request`), rather than on every request.
 */
export function trackMatchedRoutes(app: Express): void {
  Object.defineProperty(app.request, 'route', {
    configurable: true,
    enumerable: true,
    get(this: Tracked) {
      return this[ROUTE];
    },
    set(this: Tracked, value: { path?: unknown } | undefined) {
      this[ROUTE] = value;
      if (value) this[MATCHED] = { path: String(value.path), baseUrl: this.baseUrl, params: { ...this.params } };
    },
  });
}

/**
 * Notes the route a request matched, for a dispatcher that is not express's router (the tenant
 * route table), with the parameters the route is given: a new object the dispatcher never
 * changes afterwards.
 */
export function noteRoute(req: Request, path: string, params: Record<string, unknown>): void {
  (req as Tracked)[MATCHED] = { path, baseUrl: req.baseUrl, params };
}

/**
 * The route a request matched, as a pattern (`/t/:slug/items/:id`), never the URL itself, so a
 * label has few values: parameter values in the mount path are put back as their names (the
 * first parameter with a segment's value names it), and its other segments, which routing
 * matches in any case, are lower-cased (`/API/V1/ADMIN/…` is the route `/api/v1/admin/…`, not
 * one series of hundreds an anonymous client could make by changing the case of its letters).
 */
export function routePattern(req: Request): string {
  const matched = (req as Tracked)[MATCHED];
  if (!matched) return req.originalUrl.startsWith('/static/') ? '/static' : 'unmatched';
  const { baseUrl, path, params } = matched;
  const base = baseUrl
    ? baseUrl
        .split('/')
        .map((segment) => nameOf(segment, params) ?? segment.toLowerCase())
        .join('/')
    : '';
  return `${base}${path === '/' && base ? '' : path}` || '/';
}

/** The parameter whose value a mount path's segment is, as `:name`. */
function nameOf(segment: string, params: Record<string, unknown>): string | undefined {
  if (!segment) return undefined;
  let value = segment;
  if (segment.includes('%')) {
    try {
      value = decodeURIComponent(segment);
    } catch {
      // a malformed escape stays as it is
    }
  }
  for (const name in params) if (params[name] === value) return `:${name}`;
  return undefined;
}
