import type { RequestHandler } from 'express';
import { MethodNotAllowedError, NotFoundError } from '../core/errors/app-errors';
import { compileRoutePath, matchRoutePath, pathSegments, type RoutePath } from '../tenant-runtime/route-path';

/** A documented route of the API: its method and full path in express syntax (`/api/v1/t/:slug/items/:id`). */
export interface KnownRoute {
  method: string;
  path: string;
}

/**
 * The last step under `/api/v1`, for a request no API router answered. An address the API
 * knows, asked with another method, is a 405 with the Allow header (RFC 9110), and OPTIONS
 * answers 204 with it: a client is never told "not found" for a thing that exists. Any other
 * address is a 404 (problem+json on the REST paths, the context API's JSON elsewhere). Only the route table is consulted: no tenant, item or
 * membership is looked at, so the answer says nothing the OpenAPI document does not.
 */
export function unmatchedApiPath(routes: readonly KnownRoute[]): RequestHandler {
  const compiled: Array<{ method: string; pattern: RoutePath }> = routes.map((r) => ({ method: r.method.toUpperCase(), pattern: compileRoutePath(r.path) }));
  return (req, res, next) => {
    const path = req.originalUrl.split('?')[0];
    const segments = pathSegments(path);
    const methods = new Set<string>();
    for (const route of compiled) {
      if (matchesShape(route.pattern, segments)) methods.add(route.method);
    }
    // An address the API does not have (a typo, a retired path): a 404 in the path's own format, never a sign-in prompt.
    if (!methods.size) return next(new NotFoundError());
    if (methods.has('GET')) methods.add('HEAD');
    const allow = [...methods].sort();
    if (req.method === 'OPTIONS') return void res.set('Allow', allow.join(', ')).status(204).end();
    next(new MethodNotAllowedError(allow));
  };
}

/** Whether the path has the route's shape; a malformed escape in a parameter (only decoded once the literals match) still has it. */
function matchesShape(pattern: RoutePath, segments: readonly string[]): boolean {
  try {
    return matchRoutePath(pattern, segments) !== undefined;
  } catch {
    return true;
  }
}
