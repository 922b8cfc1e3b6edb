import type { Express, NextFunction, Request, RequestHandler, Response } from 'express';

const FAILED = Symbol('failed at the front door');
type Entering = Request & { [FAILED]?: unknown };
type Handle = (req: Request, res: Response, callback?: NextFunction) => void;

/**
 * Runs `first` for every request the app serves before express's router sees it
 * (docs/decisions/036-front-door-ahead-of-the-router.md): the request gets what express's own
 * entry gives it (its request and response prototypes, `req.res`/`res.req`, `res.locals`,
 * `originalUrl`, `baseUrl`, `req.next`), without the router's walk for a request `first` answers
 * (the tenant pages). A request `first` passes on goes through express's router as before; an
 * error it passes on is handed to the router's first layer, so the app's own error handlers
 * answer it, in one place as for any other error.
 *
 * Install it before any router: the layer that hands errors on must be the router's first.
 */
export function frontDoor(app: Express, first: RequestHandler): void {
  app.use((req: Entering, _res, next) => {
    const failed = req[FAILED];
    req[FAILED] = undefined;
    next(failed);
  });
  const entry = app as unknown as { handle: Handle };
  const expressHandle = entry.handle;
  /** One request past the front door: what it was given, and the way on to express's router. */
  class Entered {
    /** Bound once per request (a closure declared per request also gets its name defined). */
    readonly onward: NextFunction = this.toRouter.bind(this);

    constructor(
      private readonly req: Entering,
      private readonly res: Response,
    ) {}

    private toRouter(err?: unknown): void {
      if (err) this.req[FAILED] = err;
      expressHandle.call(app, this.req, this.res);
    }
  }
  entry.handle = function (req: Entering, res: Response, callback?: NextFunction) {
    // Mounted inside another app: that app's router is already running, so express's own entry.
    if (callback) return expressHandle.call(app, req, res, callback);
    req.res = res;
    res.req = req;
    Object.setPrototypeOf(req, app.request);
    Object.setPrototypeOf(res, app.response);
    if (!res.locals) res.locals = Object.create(null) as Response['locals'];
    if (!req.originalUrl) req.originalUrl = req.url;
    req.baseUrl = '';
    const { onward } = new Entered(req, res);
    // What express gives every request: res.render and others pass their errors to req.next.
    req.next = onward;
    try {
      const result: unknown = first(req, res, onward);
      if (result instanceof Promise) result.catch(onward);
    } catch (error) {
      onward(error);
    }
  };
}
