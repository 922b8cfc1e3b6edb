import type { RequestHandler } from 'express';

/**
 * Several handlers run in order as one: what app.use(a, b, c) does, without a router layer (and
 * its path match) per handler on every request. An error, or a handler that answers, stops it.
 */
export function series(handlers: RequestHandler[]): RequestHandler {
  return (req, res, next) => {
    let index = 0;
    const step = (err?: unknown): void => {
      if (err || index === handlers.length) return next(err);
      const handler = handlers[index++];
      try {
        // An async handler's rejection is an error too, as express treats it.
        const result: unknown = handler(req, res, step);
        if (result instanceof Promise) result.catch((error: unknown) => next(error));
      } catch (error) {
        next(error);
      }
    };
    step();
  };
}

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Runs a handler only for requests that may carry a body (body parsers, CSRF checks). */
export function onlyWithBody(handler: RequestHandler): RequestHandler {
  return (req, res, next) => (BODYLESS.has(req.method) ? next() : handler(req, res, next));
}
