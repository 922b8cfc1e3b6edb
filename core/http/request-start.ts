import type { RequestHandler, Response } from 'express';
import type { Logger } from '../logging/logger';
import { requestLog } from './request-log';
import { underPaths } from './path-mount';
import type { RequestObserver } from './request-timing';

export interface RequestStartOptions {
  /** Told how long each finished request took (request metrics). */
  observe?: RequestObserver;
  /** Marks the responses under some paths (each as `app.use(path)` matches it: the path, or below it, in any case). */
  declare?: ReadonlyArray<{ under: readonly string[]; mark: (res: Response) => void }>;
}

/**
 * The first thing every request goes through, in one step: the answer's kind by path (JSON
 * under the API), the security headers (precomputed, core/http/security-headers.ts), then its
 * id, timing and access line (core/http/request-log.ts).
 */
export function requestStart(logger: Logger, headers: ReadonlyArray<readonly [string, string]>, options: RequestStartOptions = {}): RequestHandler {
  const log = requestLog(logger, options.observe);
  const declarations = (options.declare ?? []).map(({ under, mark }) => ({ test: underPaths(under), mark }));
  return (req, res, next) => {
    for (const { test, mark } of declarations) if (test(req.url)) mark(res);
    for (const [name, value] of headers) res.setHeader(name, value);
    log(req, res, next);
  };
}
