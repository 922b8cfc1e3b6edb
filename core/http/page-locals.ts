import type { Express, Request, Response } from 'express';

/** Fills in `res.locals` for a page about to render. */
export type PageLocals = (req: Request, res: Response) => void;

/**
 * Runs `fill` when a response renders a view (res.render, on the app's response prototype), so
 * what only pages read (the header's workspace switcher, role labels, the language, a tenant's
 * links and flags) costs nothing on a JSON answer, a redirect or a file.
 */
export function fillBeforeRender(app: Express, fill: PageLocals): void {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with apply on each response
  const render = app.response.render;
  app.response.render = function (this: Response, ...args: Parameters<Response['render']>) {
    fill(this.req, this);
    return render.apply(this, args);
  } as Response['render'];
}
