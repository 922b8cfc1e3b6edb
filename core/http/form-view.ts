import type { RequestHandler } from 'express';

/**
 * Names the view a POST re-renders when its input is invalid; the error handler shows it
 * with a 400, each field's reason, and the values typed.
 */
export function formView(view: string, locals: Record<string, unknown> = {}): RequestHandler {
  return (_req, res, next) => {
    res.locals.formView = view;
    res.locals.formLocals = locals;
    next();
  };
}
