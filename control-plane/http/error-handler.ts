import type { ErrorRequestHandler, RequestHandler } from 'express';
import { AppError, NotFoundError, ValidationError } from '../errors/app-errors';
import type { Logger } from '../logging/logger';

function wantsJson(req: Parameters<RequestHandler>[0]): boolean {
  return req.path.startsWith('/api/') || (req.accepts(['html', 'json']) === 'json');
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFoundError());

/**
 * The one place errors become responses. AppErrors are expected (user errors) and shown
 * with their message; anything else is a bug: logged with its stack, shown as a plain 500.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const expected = err instanceof AppError;
    const csrfFailure = !expected && (err as { code?: string }).code === 'EBADCSRFTOKEN';
    const status = expected ? err.status : csrfFailure ? 403 : 500;
    const code = expected ? err.code : csrfFailure ? 'csrf_invalid' : 'internal_error';
    const message = expected
      ? err.message
      : csrfFailure
        ? 'The form expired or was sent from elsewhere. Reload the page and try again.'
        : 'Something went wrong on our side. It has been logged.';
    if (status >= 500) logger.error({ err, reqId: req.id, code }, 'request failed');
    const fields = err instanceof ValidationError ? err.fields : undefined;
    res.status(status);
    if (fields && res.locals.formView && !wantsJson(req)) {
      // Re-show the form the input came from, with each field's reason and what was typed (never passwords).
      res.render(res.locals.formView, { ...res.locals.formLocals, errors: fieldMap(fields), values: withoutSecrets(req.body) });
      return;
    }
    if (wantsJson(req)) {
      res.json({ error: { code, message, ...(fields ? { fields } : {}) } });
      return;
    }
    const view = status === 404 ? 'errors/not-found' : 'errors/error';
    res.render(view, { title: status === 404 ? 'Not found' : 'Error', message, status, fields });
  };
}

function fieldMap(fields: Array<{ field: string; message: string }>): Record<string, string> {
  const map: Record<string, string> = {};
  for (const f of fields) map[f.field] ??= f.message;
  return map;
}

function withoutSecrets(body: unknown): Record<string, unknown> {
  const values: Record<string, unknown> = { ...(typeof body === 'object' && body ? body : {}) };
  for (const key of Object.keys(values)) if (/password|token|_csrf/i.test(key)) delete values[key];
  return values;
}
