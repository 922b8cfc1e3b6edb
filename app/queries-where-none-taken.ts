import type { RequestHandler } from 'express';
import { ValidationError } from '../core/errors/app-errors';
import { queryProblems } from '../core/http/parse-input';
import type { DocumentedRoute } from '../core/http/api-operation';
import { compileRoutePath, matchRoutePath, pathSegments, type RoutePath } from '../tenant-runtime/route-path';

/**
 * Under the REST paths, before any router: a request to an operation whose document declares no
 * query (a read of one thing, the settings, any write) that sends a parameter is a 400 naming it
 * (it takes none), as a list refuses a parameter it does not take; never answered as if it had
 * been read (`PATCH /settings?language=fr` changing nothing, yet answered 200). An operation that
 * declares its query checks it itself (parseQuery). The session context API keeps its own errors
 * and is left to its routes.
 */
export function queriesWhereNoneTaken(routes: readonly DocumentedRoute[]): RequestHandler {
  const compiled: Array<{ method: string; pattern: RoutePath; takesQuery: boolean }> = routes
    .filter((r) => !r.operation.legacyErrors)
    .map((r) => ({ method: r.method.toUpperCase(), pattern: compileRoutePath(r.path), takesQuery: r.operation.query !== undefined }));
  return (req, _res, next) => {
    // The common case costs nothing: no query string.
    const mark = req.originalUrl.indexOf('?');
    if (mark < 0 || mark === req.originalUrl.length - 1) return next();
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const segments = pathSegments(req.originalUrl.slice(0, mark));
    let matched = false;
    for (const route of compiled) {
      if (route.method !== method || !matches(route.pattern, segments)) continue;
      if (route.takesQuery) return next();
      matched = true;
    }
    if (matched) {
      const problems = queryProblems([], req.query as Record<string, unknown>, 'request');
      if (problems.length) return next(new ValidationError(problems));
    }
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
