import type { RequestHandler } from 'express';
import { noBody, parseInput } from '../core/http/parse-input';
import type { DocumentedRoute } from '../core/http/api-operation';
import { compileRoutePath, matchRoutePath, pathSegments, type RoutePath } from '../tenant-runtime/route-path';

/**
 * Under the REST paths, before any router: a request to an operation whose document declares no
 * body (delete, restore, resume, a revocation) that sends one with fields is a 400 naming each
 * field (it takes none), as a declared body refuses a field it does not take; never acted on as if
 * the fields were read (a `revision` the client thinks is checked). No body, or `{}`, passes. Only
 * the route table is consulted (the catalogue says which operations take a body), so the answer
 * says nothing the OpenAPI document does not. The session context API keeps its own errors and is
 * left to its routes.
 */
export function bodiesWhereNoneTaken(routes: readonly DocumentedRoute[]): RequestHandler {
  const compiled: Array<{ method: string; pattern: RoutePath; takesBody: boolean }> = routes
    .filter((r) => !r.operation.legacyErrors)
    .map((r) => ({ method: r.method.toUpperCase(), pattern: compileRoutePath(r.path), takesBody: r.operation.body !== undefined }));
  return (req, _res, next) => {
    const body: unknown = req.body;
    // The common case costs nothing: no body, or an empty object.
    if (body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && !Object.keys(body).length)) return next();
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const segments = pathSegments(req.originalUrl.split('?')[0]);
    let matched = false;
    for (const route of compiled) {
      if (route.method !== method || !matches(route.pattern, segments)) continue;
      // An operation at this address that takes a body reads (and checks) it itself.
      if (route.takesBody) return next();
      matched = true;
    }
    if (matched) parseInput(noBody, body);
    next();
  };
}

/** Whether the path has the route's shape; a malformed escape in a parameter is left to the route (its own 400). */
function matches(pattern: RoutePath, segments: readonly string[]): boolean {
  try {
    return matchRoutePath(pattern, segments) !== undefined;
  } catch {
    return false;
  }
}
