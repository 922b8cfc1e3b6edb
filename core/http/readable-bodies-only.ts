import type { Request, RequestHandler } from 'express';

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function carriesBody(req: Request): boolean {
  const length = req.headers['content-length'];
  return req.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0');
}

export interface ReadableBodies {
  /** The media types the front door's parsers read (`application/json`, `application/x-www-form-urlencoded`). */
  types: readonly string[];
  /** Where a multipart body is taken: the routes that parse an upload themselves. */
  acceptsFiles: (path: string) => boolean;
  /** The refusal (415) of any other body, in the words of those who sent it (an API client, a page). */
  refusal: () => Error;
}

/**
 * A body that is not of a type read (plain text, none named, multipart where no file is taken) is
 * refused, never passed on as an empty body that would skip what it asked for: a revision to
 * check, fields to change, boxes left ticked. A request without a body (an action that needs no
 * fields) passes. The REST API reads JSON only; the pages read forms and JSON.
 */
export function readableBodiesOnly({ types, acceptsFiles, refusal }: ReadableBodies): RequestHandler {
  const readable = [...types];
  return (req, _res, next) => {
    if (!WITH_BODY.has(req.method) || !carriesBody(req) || req.is(readable)) return next();
    if (req.is('multipart/form-data') && acceptsFiles(req.path)) return next();
    next(refusal());
  };
}
