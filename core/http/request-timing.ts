import type { Request, RequestHandler, Response } from 'express';

/** Told once per finished request, with its duration in seconds. */
export type RequestObserver = (req: Request, res: Response, seconds: number) => void;

interface MatchedRoute {
  path: string;
  baseUrl: string;
  params: Record<string, unknown>;
}

const MATCHED = Symbol('matched route');
type Tracked = Request & { [MATCHED]?: MatchedRoute };

/**
 * Times every request from its arrival to the end of its response (for metrics). The router
 * sets `req.route` when a route matches; the mount path and parameters are noted at that
 * moment, because an error passed on later unwinds them before the response ends.
 */
export function requestTiming(observe: RequestObserver): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    let route: unknown;
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => route,
      set(value: { path?: unknown } | undefined) {
        route = value;
        if (value) (req as Tracked)[MATCHED] = { path: String(value.path), baseUrl: req.baseUrl, params: { ...req.params } };
      },
    });
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
