import type { RequestHandler } from 'express';
import { noBody, parseInput } from '../core/http/parse-input';
import type { DocumentedRoute } from '../core/http/api-operation';
import { inputDeclarations } from './declared-input';

/**
 * Under the REST paths, before any router: a request to an operation whose document declares no
 * body (delete, restore, resume, a revocation) that sends one with fields is a 400 naming each
 * field (it takes none), as a declared body refuses a field it does not take; never acted on as if
 * the fields were read (a `revision` the client thinks is checked). No body, or `{}`, passes. Only
 * the route table is consulted (the catalogue says which operations take a body), so the answer
 * says nothing the OpenAPI document does not.
 */
export function bodiesWhereNoneTaken(routes: readonly DocumentedRoute[]): RequestHandler {
  const declaration = inputDeclarations(routes, (r) => r.operation.body !== undefined);
  return (req, _res, next) => {
    const body: unknown = req.body;
    // The common case costs nothing: no body, or an empty object.
    if (body === undefined || body === null || (typeof body === 'object' && !Array.isArray(body) && !Object.keys(body).length)) return next();
    // An operation at this address that takes a body reads (and checks) it itself.
    if (declaration(req.method, req.originalUrl.split('?')[0]) === 'undeclared') parseInput(noBody, body);
    next();
  };
}
