import type { Request, RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from '../errors/app-errors';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function carriesBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

/**
 * The REST API reads JSON only: a request whose body is of another type (a form, plain text, none
 * named) is refused with 415, never read as an empty body that would skip what it asked for (a
 * revision to check, fields to change). Multipart is taken only where `acceptsFiles` says a file
 * is uploaded. A request without a body (an action that needs no fields) passes.
 */
export function jsonBodiesOnly(acceptsFiles: (path: string) => boolean): RequestHandler {
  return (req, _res, next) => {
    if (!WITH_BODY.has(req.method) || !carriesBody(req) || req.is('application/json')) return next();
    if (req.is('multipart/form-data') && acceptsFiles(req.path)) return next();
    next(new UnsupportedMediaTypeError());
  };
}
