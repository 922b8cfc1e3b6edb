import type { RequestHandler } from 'express';

export type FormLocals = Record<string, unknown>;

/**
 * Names the view a POST re-renders when its input is invalid; the error handler shows it
 * with a 400, each field's reason, and the values typed. A function is a page loader: it runs
 * only when the input was refused, so a successful POST never builds a page it will not show.
 */
export function formView(view: string, locals: FormLocals | (() => FormLocals) = {}): RequestHandler {
  return (_req, res, next) => {
    res.locals.formView = view;
    res.locals.formLocals = locals;
    next();
  };
}

/** The locals of the form to re-render (the loader is called here, once). */
export function formLocalsOf(value: unknown): FormLocals {
  if (typeof value === 'function') return (value as () => FormLocals)();
  return (value as FormLocals | undefined) ?? {};
}
