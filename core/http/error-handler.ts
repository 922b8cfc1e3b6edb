import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import {
  AppError,
  DiskFullError,
  InvalidTokenError,
  LimitReachedError,
  MethodNotAllowedError,
  NotFoundError,
  RevisionConflictError,
  ValidationError,
} from '../errors/app-errors';
import { TenantClosedError, TenantNeedsOperatorError, TenantUnavailableError } from '../errors/tenant-unavailable-errors';
import { isDiskFull } from '../errors/disk-full';
import { isBusyError } from '../db/busy-retry';
import type { Logger } from '../logging/logger';
import { formLocalsOf, isFormRefusal, isSendAgainLater } from './form-view';
import { answersJson } from './answers-json';
import { msg } from '../i18n/message';
import { inEnglish } from '../i18n/translator';
import { answersProblemJson, instanceOf, problemOf, sendProblem } from './problem-json';

/** An error page's title: what happened when the status says it (not there, not allowed), else the plain "Error". */
function pageTitleOf(status: number, code: string): string {
  if (status === 404) return msg('Not found');
  if (code === 'forbidden') return msg('Not allowed');
  return msg('Error');
}

/** A route that declared JSON (declareJson) always gets JSON; elsewhere the Accept header decides. */
function wantsJson(req: Request, res: Response): boolean {
  return answersJson(res) || req.accepts(['html', 'json']) === 'json';
}

/** When a request refused because another process held a database's lock may be sent again. */
const BUSY_RETRY_AFTER_SECONDS = 5;

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFoundError());

/**
 * The one place errors become responses. AppErrors are expected (user errors) and shown
 * with their message; anything else is a bug: logged with its stack, shown as a plain 500.
 */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  const handle: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    const { status, code, message, text } = describe(err);
    const detail = operatorDetail(err, req);
    // A workspace that cannot be served now (damaged, behind, being restored) is an answer, not a
    // bug: its state is logged where it is found (once per tenant and minute for a damaged one),
    // never as an error with a stack on each of its members' requests.
    const closed = err instanceof TenantUnavailableError || err instanceof TenantClosedError;
    if (closed) logger.debug({ reqId: req.id, code }, 'the workspace is unavailable');
    else if (status >= 500 && status !== 507) logger.error({ err, reqId: req.id, code }, 'request failed');
    else if (status === 507) logger.warn({ reqId: req.id, code }, 'the disk is full');
    const fields = err instanceof ValidationError ? err.fields : undefined;
    const fieldTexts = err instanceof ValidationError ? err.fieldTexts : undefined;
    res.status(status);
    if (err instanceof TenantUnavailableError && err.retryAfterSeconds) res.set('Retry-After', String(err.retryAfterSeconds));
    if (code === 'busy') res.set('Retry-After', String(BUSY_RETRY_AFTER_SECONDS));
    if (err instanceof MethodNotAllowedError) res.set('Allow', err.allow.join(', '));
    if (err instanceof InvalidTokenError) res.set('WWW-Authenticate', 'Bearer error="invalid_token"');
    const json = wantsJson(req, res);
    const stale = err instanceof RevisionConflictError ? err : undefined;
    // An action refused as it stands (another operation holds the tenant, a state, a limit), or for
    // now (the disk full, the database busy), is said on its form's page too.
    const refused = fields ? undefined : stale ? stale.text : isFormRefusal(err) || isSendAgainLater(code) ? text : undefined;
    if ((fields || refused) && res.locals.formView && !json) {
      // Re-show the form the input came from, with each field's reason (or the refusal) and what was typed (never passwords).
      let locals;
      try {
        locals = formLocalsOf(res.locals.formLocals);
      } catch (loadError) {
        // The page cannot be built (its item is not in this tenant, say): that answer wins.
        res.locals.formView = undefined;
        return handle(loadError, req, res, next);
      }
      // A stale revision re-shows the page as it is now, with what was typed (or, for a form whose
      // every field is the thing's, the current values the page loader gives as `current`): the
      // revision sent is dropped, so sending again is a choice made with the changes in view.
      const showsCurrent = stale?.formShows === 'current';
      const values: Record<string, unknown> = showsCurrent ? { ...(locals.current as Record<string, unknown> | undefined) } : typedValues(req.body);
      if (stale && !showsCurrent) delete values.revision;
      renderSafely(res.locals.formView, { ...locals, errors: refused ? { form: refused } : fieldMap(fieldTexts ?? fields ?? []), values });
      return;
    }
    const limit = err instanceof LimitReachedError ? err.details : undefined;
    if (answersProblemJson(res)) {
      const notice = err instanceof TenantClosedError ? err.notice : undefined;
      return sendProblem(
        res,
        problemOf(status, code, detail ? `${message} Detail for the people who run this service: ${detail}.` : message, {
          instance: instanceOf(req),
          requestId: req.id,
          errors: fields,
          notice,
          limit,
          currentRevision: stale?.currentRevision,
        }),
      );
    }
    if (json) {
      res.json({
        error: {
          code,
          message,
          ...(detail ? { detail } : {}),
          ...(fields ? { fields } : {}),
          ...(err instanceof TenantClosedError ? { notice: err.notice } : {}),
          ...(limit ?? {}),
        },
      });
      return;
    }
    if (err instanceof TenantClosedError) {
      // In the person's own language, else the workspace's (chosen at the tenant's entry), else the browser's.
      renderSafely('errors/tenant-closed', { title: text, notice: err.notice, status });
      return;
    }
    const view = status === 404 ? 'errors/not-found' : 'errors/error';
    renderSafely(view, { title: pageTitleOf(status, code), message: text, status, fields: fieldTexts, detail });

    /**
     * A page that fails to render here would otherwise reach express's own last handler, which
     * shows the error's stack and logs nothing: it is logged as the bug it is, and a plain 500
     * goes out instead.
     */
    function renderSafely(page: string, locals: Record<string, unknown>): void {
      res.render(page, locals, (renderError: Error | null, html?: string) => {
        if (!renderError) return void res.send(html);
        logger.error({ err: renderError, reqId: req.id, page }, 'error page failed to render');
        const text = msg('Something went wrong on our side. It has been logged.');
        const translate = res.locals.t as ((key: string) => string) | undefined;
        if (!res.headersSent)
          res
            .status(500)
            .type('text/plain')
            .send(translate ? translate(text) : inEnglish(text));
      });
    }
  };
  return handle;
}

/**
 * The operator's detail of a workspace that needs them (damaged, behind the code): for a super
 * admin (signed in, or acting as someone else), never for a member, who reads the plain message.
 */
function operatorDetail(err: unknown, req: Request): string | undefined {
  if (!(err instanceof TenantNeedsOperatorError)) return undefined;
  return req.user?.isSuperAdmin || req.realUser?.isSuperAdmin ? err.reason : undefined;
}

function fieldMap(fields: Array<{ field: string; message: string }>): Record<string, string> {
  const map: Record<string, string> = {};
  for (const f of fields) map[f.field] ??= f.message;
  return map;
}

/** Fields whose text is never put back: passwords, tokens, secrets' values (a secret's name is only its label). */
const SENSITIVE_FIELD = /password|token|secret(?!_name$)|_csrf/i;

/**
 * What a re-shown form puts back in its fields: the text typed (a string, or a list of strings
 * for a field sent more than once), never a password, token or secret. Anything else a hostile
 * body can hold (objects, numbers, arrays nested thousands deep) is left out: a page shows only text.
 */
function typedValues(body: unknown): Record<string, string | string[]> {
  const values: Record<string, string | string[]> = {};
  if (typeof body !== 'object' || !body) return values;
  for (const [key, value] of Object.entries(body)) {
    // A JSON body can hold an own "__proto__" key; copied by assignment it would swap the values' prototype.
    if (SENSITIVE_FIELD.test(key) || key === '__proto__') continue;
    if (typeof value === 'string' || (Array.isArray(value) && value.every((v) => typeof v === 'string'))) values[key] = value;
  }
  return values;
}

/** Known failures keep their status and a plain message; anything else is a bug, shown as a 500. */
function describe(err: unknown): { status: number; code: string; message: string; text: string } {
  if (err instanceof AppError) return { status: err.status, code: err.code, message: err.message, text: err.text };
  const { status, code, message } = describeOther(err);
  return { status, code, message: inEnglish(message), text: message };
}

function describeOther(err: unknown): { status: number; code: string; message: string } {
  const e = err as { code?: string; type?: string; status?: number; expose?: boolean };
  if (e.code === 'EBADCSRFTOKEN') {
    return { status: 403, code: 'csrf_invalid', message: msg('The form expired or was sent from elsewhere. Reload the page and try again.') };
  }
  // The client closed the connection before its answer went out (a download given up while it was
  // being prepared, express's send says ECONNABORTED): nobody is left to answer, and nothing of ours failed.
  if (e.code === 'ECONNABORTED')
    return { status: 499, code: 'client_closed_request', message: msg('The request could not be read. Check what you sent and try again.') };
  // The router could not decode a %-escape in the path (`/t/%E0%A4%A`): the client's address is malformed.
  if (err instanceof URIError) return { status: 400, code: 'bad_request', message: msg('The address could not be read. Check the link and try again.') };
  // body-parser and multer errors: the client sent something too large or malformed.
  if (e.type === 'entity.too.large' || e.code === 'LIMIT_FILE_SIZE')
    return { status: 413, code: 'payload_too_large', message: msg('What you sent is too large.') };
  if (e.type === 'parameters.too.many') return { status: 413, code: 'payload_too_large', message: msg('What you sent has too many fields.') };
  // SQLITE_FULL, ENOSPC, EDQUOT from any write: said in words, never "disk I/O error" or a 500.
  if (isDiskFull(err)) {
    const full = new DiskFullError();
    return { status: full.status, code: full.code, message: full.text };
  }
  // SQLITE_BUSY past the busy timeout: another process (a long command) held the lock all that
  // time. Nothing was written; the request can be sent again once that is done, not a bug of ours.
  if (isBusyError(err)) return { status: 503, code: 'busy', message: msg('The service is busy with another task. Try again in a few seconds.') };
  // body-parser's refusal of a charset it cannot read (`application/json; charset=latin1`).
  if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported')
    return { status: 415, code: 'unsupported_media_type', message: msg('The body must be sent in UTF-8.') };
  if (e.expose && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return { status: e.status, code: 'bad_request', message: msg('The request could not be read. Check what you sent and try again.') };
  }
  return { status: 500, code: 'internal_error', message: msg('Something went wrong on our side. It has been logged.') };
}
