import type { Express, Request, RequestHandler, Response } from 'express';

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
 * Times every request from its arrival to the end of its response (for metrics). The router
 * sets `req.route` when a route matches; the mount path and parameters are noted at that
 * moment, because an error passed on later unwinds them before the response ends. The setter
 * that notes them is defined once, on the app's request prototype (express's `app.request`),
 * rather than on every request.
 */
export function requestTiming(app: Express, observe: RequestObserver): RequestHandler {
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
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.once('finish', () => observe(req, res, Number(process.hrtime.bigint() - started) / 1e9));
    next();
  };
}

/**
 * The route a request matched, as a pattern (`/t/:slug/items/:id`), never the URL itself, so a
 * label has few values: parameter values in the mount path are put back as their names.
 */
export function routePattern(req: Request): string {
  const matched = (req as Tracked)[MATCHED];
  if (!matched) return req.originalUrl.startsWith('/static/') ? '/static' : 'unmatched';
  const names = new Map<string, string>();
  for (const [name, value] of Object.entries(matched.params)) if (typeof value === 'string' && value) names.set(value, `:${name}`);
  const base = matched.baseUrl
    .split('/')
    .map((segment) => {
      let decoded = segment;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        // a malformed escape stays as it is
      }
      return names.get(decoded) ?? segment;
    })
    .join('/');
  return `${base}${matched.path === '/' && base ? '' : matched.path}` || '/';
}
