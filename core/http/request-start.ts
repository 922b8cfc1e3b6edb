import type { RequestHandler } from 'express';
import type { Logger } from '../logging/logger';
import { requestLog } from './request-log';

/**
 * The first thing every request goes through, in one step: the security headers (precomputed,
 * core/http/security-headers.ts), then its id and access line (core/http/request-log.ts).
 */
export function requestStart(logger: Logger, headers: ReadonlyArray<readonly [string, string]>): RequestHandler {
  const log = requestLog(logger);
  return (req, res, next) => {
    for (const [name, value] of headers) res.setHeader(name, value);
    log(req, res, next);
  };
}
