import crypto from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../logging/logger';
import type { RequestObserver } from './request-timing';

/**
 * A path segment that holds a link token (invitation, password reset: 43 base64url characters)
 * is a bearer credential: the log shows its place, never its value. The whole segment goes,
 * whatever a mail client stuck to the token (a dot, a bracket, `%2f..`), and so does one with
 * a token cut short by a few characters; no tenant slug is that long (40 at most). A character
 * of the token sent percent-encoded (`%5F` for `_`, as a link rewriter may send it) is one
 * character of it: the route decodes it and the link works, so the log must not show it either.
 */
const TOKEN_SEGMENT = /\/[^/]*(?:[A-Za-z0-9_-]|%[0-9A-Fa-f]{2}){41,}[^/]*/g;

interface Started {
  started: bigint;
  log: boolean;
}
const STARTED = Symbol('request started');
type Timed = Response & { [STARTED]?: Started };

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
 * The same moment tells `observe` (request metrics) how long a finished request took, with
 * one pair of listeners for both. The line is built only when it is written: with info
 * disabled and nothing to observe, a request costs an id and a header.
 */
export function requestLog(logger: Logger, observe?: RequestObserver): RequestHandler {
  // One listener for every request (it finds its request through the response), so a request
  // allocates no closure for it. A response emits 'close' once, after 'finish' when it was
  // sent and alone when the client went away first: one event tells both.
  function done(this: Response): void {
    const req = this.req;
    const { started, log } = (this as Timed)[STARTED] as Started;
    const elapsed = Number(process.hrtime.bigint() - started);
    const finished = this.writableFinished;
    if (observe && finished) observe(req, this, elapsed / 1e9);
    if (!log) return;
    logger.info(
      {
        req: { id: req.id, method: req.method, url: loggablePath(req.originalUrl) },
        res: { statusCode: this.statusCode },
        responseTime: Math.round(elapsed / 1e6),
        userId: req.user?.id,
        realUserId: req.realUser?.id,
        tenantId: req.tenantId,
      },
      finished ? 'request completed' : 'request aborted',
    );
  }
  return (req, res, next) => {
    const id = crypto.randomUUID();
    req.id = id;
    res.setHeader('x-request-id', id);
    const log = logger.isLevelEnabled('info') && !req.url.startsWith('/static/');
    if (!log && !observe) return next();
    (res as Timed)[STARTED] = { started: process.hrtime.bigint(), log };
    res.on('close', done);
    next();
  };
}
