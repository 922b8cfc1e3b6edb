import type { RequestHandler } from 'express';
import { ValidationError } from '../core/errors/app-errors';
import { queryProblems } from '../core/http/parse-input';
import type { DocumentedRoute } from '../core/http/api-operation';
import { inputDeclarations } from './declared-input';

/**
 * Under the REST paths, before any router: a request to an operation whose document declares no
 * query (a read of one thing, the settings, any write) that sends a parameter is a 400 naming it
 * (it takes none), as a list refuses a parameter it does not take; never answered as if it had
 * been read (`PATCH /settings?language=fr` changing nothing, yet answered 200). An operation that
 * declares its query checks it itself (parseQuery).
 */
export function queriesWhereNoneTaken(routes: readonly DocumentedRoute[]): RequestHandler {
  const declaration = inputDeclarations(routes, (r) => r.operation.query !== undefined);
  return (req, _res, next) => {
    // The common case costs nothing: no query string.
    const mark = req.originalUrl.indexOf('?');
    if (mark < 0 || mark === req.originalUrl.length - 1) return next();
    if (declaration(req.method, req.originalUrl.slice(0, mark)) === 'undeclared') {
      const problems = queryProblems([], req.query as Record<string, unknown>, 'request');
      if (problems.length) return next(new ValidationError(problems));
    }
    next();
  };
}
