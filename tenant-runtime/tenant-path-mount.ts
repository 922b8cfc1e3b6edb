import type { RequestHandler } from 'express';
import { enterMount } from '../core/http/path-mount';

/**
 * Serves `/t/<slug>` and everything under it with the handler, as `app.use('/t/:slug', handler)`
 * would (the prefix matched in any case, `req.baseUrl` the prefix, `req.url` the rest,
 * `req.params.slug` decoded; all three put back when the handler passes the request on), with a
 * string check in place of a router layer with a parameter. A malformed escape in the slug is
 * an error (URIError: a 400).
 */
export function atTenantPath(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    const url = req.url;
    if (url.charCodeAt(0) !== 47 /* / */ || (url[1] !== 't' && url[1] !== 'T') || url.charCodeAt(2) !== 47) return next();
    let end = 3;
    while (end < url.length && url[end] !== '/' && url[end] !== '?') end++;
    if (end === 3) return next();
    let slug: string;
    try {
      slug = decodeURIComponent(url.slice(3, end));
    } catch (error) {
      return next(error);
    }
    enterMount(req, res, next, handler, end, { slug });
  };
}
