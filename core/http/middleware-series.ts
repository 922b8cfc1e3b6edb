import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** One request's walk through a series: which handler is next, and the `next` each is given. */
class SeriesRun {
  private index = 0;
  /** Bound once per run (a closure declared per request costs more: a name is defined on each). */
  readonly step: (err?: unknown) => void = this.advance.bind(this);

  constructor(
    private readonly handlers: readonly RequestHandler[],
    private readonly req: Request,
    private readonly res: Response,
    private readonly done: NextFunction,
  ) {}

  private advance(err?: unknown): void {
    if (err || this.index === this.handlers.length) return this.done(err);
    const handler = this.handlers[this.index++];
    try {
      // An async handler's rejection is an error too, as express treats it.
      const result: unknown = handler(this.req, this.res, this.step);
      if (result instanceof Promise) result.catch(this.done);
    } catch (error) {
      this.done(error);
    }
  }
}

/**
 * Several handlers run in order as one: what app.use(a, b, c) does, without a router layer (and
 * its path match) per handler on every request. An error, or a handler that answers, stops it.
 */
export function series(handlers: readonly RequestHandler[]): RequestHandler {
  return (req, res, next) => new SeriesRun(handlers, req, res, next).step();
}

const BODYLESS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Runs a handler only for requests that may carry a body (body parsers, CSRF checks). */
export function onlyWithBody(handler: RequestHandler): RequestHandler {
  return (req, res, next) => (BODYLESS.has(req.method) ? next() : handler(req, res, next));
}
