import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Hands the request to a handler as if mounted at `req.url`'s first `end` characters, as
 * `app.use(path, handler)` does: `req.baseUrl` grows by them, `req.url` is the rest (always
 * starting with `/`), `req.params` is the mount's. All three are put back before the request goes
 * on past the handler.
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
 * Serves a literal path and everything under it with the handler, as `app.use(path, handler)`
 * would (the path matched in any case, at a segment boundary), with a string check in place of a
 * router layer.
 */
export function atPath(path: string, handler: RequestHandler): RequestHandler {
  const prefix = path.toLowerCase();
  const n = prefix.length;
  return (req, res, next) => {
    const url = req.url;
    const after = url[n];
    if ((after !== undefined && after !== '/' && after !== '?') || url.slice(0, n).toLowerCase() !== prefix) return next();
    enterMount(req, res, next, handler, n, {});
  };
}
