import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Hands the request to a handler as if mounted at `req.url`'s first `end` characters, as
 * `app.use(path, handler)` does: `req.baseUrl` grows by them, `req.url` is the rest (always
 * starting with `/`), `req.params` is the mount's (with `end` 0, only the parameters change: a
 * route's). All three are put back before the request goes on past the handler.
 */
export function enterMount(req: Request, res: Response, next: NextFunction, handler: RequestHandler, end: number, params: Request['params']): void {
  const { baseUrl, url, params: outer } = req;
  req.baseUrl = baseUrl + url.slice(0, end);
  req.url = url[end] === '/' ? url.slice(end) : `/${url.slice(end)}`;
  req.params = params;
  handler(req, res, (err?: unknown) => {
    req.baseUrl = baseUrl;
    req.url = url;
    req.params = outer;
    next(err);
  });
}

/**
 * Whether a URL is one of the paths or below one, as `app.use(path)` matches a mount path: in any
 * case, at a segment boundary (`/api` matches `/api`, `/API/x` and `/api?q`, not `/apix`).
 */
export function underPaths(paths: readonly string[]): (url: string) => boolean {
  const escaped = paths.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const pattern = new RegExp(`^(?:${escaped.join('|')})(?:[/?]|$)`, 'i');
  return (url) => pattern.test(url);
}

/**
 * Serves a literal path and everything under it with the handler, as `app.use(path, handler)`
 * would, with a string check in place of a router layer.
 */
export function atPath(path: string, handler: RequestHandler): RequestHandler {
  const under = underPaths([path]);
  return (req, res, next) => (under(req.url) ? enterMount(req, res, next, handler, path.length, {}) : next());
}
