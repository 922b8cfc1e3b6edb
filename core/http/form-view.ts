import type { RequestHandler } from 'express';
import { AppError, SessionReplacedError } from '../errors/app-errors';
import { TenantClosedError } from '../errors/tenant-unavailable-errors';

export type FormLocals = Record<string, unknown>;

/**
 * Names the page a POST came from, shown again when the POST is refused: with a 400, each field's
 * reason and the values typed; with a refusal of the action itself (isFormRefusal), its status and
 * its message above the form. A function is a page loader: it runs only when the POST was refused,
 * so a successful POST never builds a page it will not show. The page is the route's own, built
 * from its tenant and its path: nothing the request sends (a Referer, a field) chooses it.
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

/** Refusals of the action as it stands: not allowed (a plan's limit, a role), in conflict (another operation, a state), locked, too many. */
const REFUSED_ACTION = new Set([403, 409, 423, 429]);

/**
 * Whether an error refuses what a form asked for, not the input it typed: another operation holds
 * the tenant, the thing's state does not allow it, a plan's limit is reached. A form's page shows
 * it again, keeping the status, with the message where the page puts its errors, and nothing was
 * written. A workspace closed to its members keeps its own page, and a session replaced a moment
 * ago asks for a reload: the page cannot be shown on that session.
 */
export function isFormRefusal(err: unknown): err is AppError {
  return err instanceof AppError && REFUSED_ACTION.has(err.status) && !(err instanceof TenantClosedError) && !(err instanceof SessionReplacedError);
}

/**
 * Answers that refuse a form as it stands for now, its page still readable: the disk full (507,
 * reads still work) and a database locked past the busy timeout by another process (503 `busy`,
 * reads do not wait for a writer). What was typed comes back with the reason, so sending it again
 * is one click once the space is freed or the task is done. A workspace being moved, restored or
 * behind the code (503 `tenant_unavailable`) is not one: its page cannot be read at all.
 */
const SEND_AGAIN_LATER = new Set(['disk_full', 'busy']);

/** Whether an answer's code (an AppError's, or the one the error handler gives a known failure) is a form's "send again later". */
export function isSendAgainLater(code: string): boolean {
  return SEND_AGAIN_LATER.has(code);
}
