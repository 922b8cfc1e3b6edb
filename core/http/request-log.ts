import crypto from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '../logging/logger';

/**
 * A path segment that looks like a link token (invitation, password reset: 43 base64url
 * characters) is a bearer credential: the log shows its place, never its value.
 */
const TOKEN_SEGMENT = /\/[A-Za-z0-9_-]{43}(?=\/|$)/g;

export function loggablePath(url: string): string {
  const query = url.indexOf('?');
  return (query < 0 ? url : url.slice(0, query)).replace(TOKEN_SEGMENT, '/[token]');
}

/**
 * Gives every request an id (req.id, echoed in the x-request-id header) and writes one access
 * line per request at info level once its response is done: id, method, path without the
 * query string, status, time taken, and the user and tenant it ran as. Nothing else of the
 * request is logged (no headers, cookies or body; a token in the path is masked). While a super
 * admin impersonates the user, the line names them too. Static files get an id but no line.
 *
 * The line is built only when it is written: with info disabled a request costs an id and a
 * header, no per-request logger or serialisation.
 */
export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const id = crypto.randomUUID();
    req.id = id;
    res.setHeader('x-request-id', id);
    if (!logger.isLevelEnabled('info') || req.url.startsWith('/static/')) return next();
    const started = Date.now();
    const done = () => {
      res.removeListener('finish', done);
      res.removeListener('close', done);
      logger.info(
        {
          req: { id, method: req.method, url: loggablePath(req.originalUrl) },
          res: { statusCode: res.statusCode },
          responseTime: Date.now() - started,
          userId: req.user?.id,
          realUserId: req.realUser?.id,
          tenantId: req.tenantId,
        },
        res.writableFinished ? 'request completed' : 'request aborted',
      );
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
