import { inEnglish } from '../i18n/translator';
import { msg } from '../i18n/message';
/**
 * The catalogue of errors the product raises on purpose. Each carries a stable code and
 * an HTTP status; anything else reaching the error handler is a bug and shown as a 500.
 * An error raised because of another keeps it as its `cause` (logged with it, never shown).
 * The errors of a workspace that cannot be served now are in tenant-unavailable-errors.ts.
 */
export class AppError extends Error {
  readonly code: string;
  readonly status: number;
  readonly context: Record<string, unknown>;
  /** The message as made by msg() (key and values), translated when a page shows it; `message` is its English. */
  readonly text: string;

  constructor(message: string, code: string, status: number, context: Record<string, unknown> = {}, options: ErrorOptions = {}) {
    super(inEnglish(message), options);
    this.text = message;
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.context = context;
  }
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** Bad input: a 400 naming each field and its reason. */
export class ValidationError extends AppError {
  /** Each field's reason in English (the API, the CLI, logs). */
  readonly fields: FieldProblem[];
  /** Each field's reason as made by msg(), for a page to translate. */
  readonly fieldTexts: FieldProblem[];
  constructor(fields: FieldProblem[], message = msg('Some fields need attention.'), options: ErrorOptions = {}) {
    const english = fields.map(({ field, message: text }) => ({ field, message: inEnglish(text) }));
    super(message, 'validation_failed', 400, { fields: english }, options);
    this.fields = english;
    this.fieldTexts = fields;
  }

  static single(field: string, message: string): ValidationError {
    return new ValidationError([{ field, message }]);
  }
}

/** Unknown thing, or a thing the caller may not know exists: always the same 404. */
export class NotFoundError extends AppError {
  constructor(message = msg('Not found'), context: Record<string, unknown> = {}) {
    super(message, 'not_found', 404, context);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = msg('Please sign in.')) {
    super(message, 'unauthenticated', 401);
  }
}

/** An API token that is malformed, unknown, revoked or expired, or whose user is disabled (401, with a WWW-Authenticate challenge). */
export class InvalidTokenError extends AppError {
  constructor() {
    super(msg('The API token is missing, malformed, unknown, revoked or expired.'), 'invalid_token', 401);
  }
}

/** Signed in and allowed to know the thing exists, but not allowed to do this. */
export class ForbiddenError extends AppError {
  constructor(message = msg('You do not have permission to do that.'), context: Record<string, unknown> = {}) {
    super(message, 'forbidden', 403, context);
  }
}

/** A bearer token on a route that serves the pages on their signed-in session (the context API). */
export class SessionOnlyError extends AppError {
  constructor() {
    super(msg('This endpoint serves the pages on their signed-in session; an API token is not accepted here.'), 'session_only', 403);
  }
}

/** A REST API request whose body is not JSON (a form, plain text, or a file where none is taken). */
export class UnsupportedMediaTypeError extends AppError {
  constructor() {
    super(
      msg('The body must be JSON (Content-Type: application/json); a file goes as multipart/form-data to an attachments route.'),
      'unsupported_media_type',
      415,
    );
  }
}

/** A page's form sent in a way it does not read (plain text, a file where none is taken): refused, never read as empty. */
export class UnreadableFormError extends AppError {
  constructor() {
    super(msg('This form was sent in a way this page cannot read, so nothing was changed. Reload the page and try again.'), 'unsupported_media_type', 415);
  }
}

/** A known API address asked with a method it does not take; `allow` lists those it takes (the Allow header). */
export class MethodNotAllowedError extends AppError {
  constructor(readonly allow: readonly string[]) {
    super(msg('This address does not take this method; the Allow header lists those it takes.'), 'method_not_allowed', 405, { allow });
  }
}

/** A download's Range lies outside the file (the response says the file's size in Content-Range). */
export class RangeNotSatisfiableError extends AppError {
  constructor() {
    super(msg('The requested part of the file is outside it.'), 'range_not_satisfiable', 416);
  }
}

export class ConflictError extends AppError {
  constructor(message: string, context: Record<string, unknown> = {}) {
    super(message, 'conflict', 409, context);
  }
}

/** Too many requests of one kind in a short time (a page's rate limit): nothing was done; wait and send again. */
export class RateLimitedError extends AppError {
  constructor(message: string) {
    super(message, 'rate_limited', 429);
  }
}

/**
 * A request made with a session id that another request of the same browser replaced a moment
 * ago (a double click on a button that renews the session, a second tab): the browser already holds
 * the new one, so reloading works. The old id is never served (docs/decisions/003).
 */
export class SessionReplacedError extends AppError {
  constructor() {
    super(msg('Your session changed a moment ago (a second click, or another tab): reload the page.'), 'session_replaced', 409);
  }
}

/**
 * A change or step sent for a revision that is no longer the current one (someone changed the thing
 * since it was read): refused before anything is written. The current revision goes with it.
 */
export class RevisionConflictError extends AppError {
  constructor(
    message: string,
    readonly currentRevision: number,
    context: Record<string, unknown> = {},
    /**
     * What a page form refused for it shows again: what was typed (an item: its changes are on the
     * page beside the form), or the current values (a form of settings holding every field, whose
     * typed values would hide what someone else changed).
     */
    readonly formShows: 'typed' | 'current' = 'typed',
  ) {
    super(message, 'revision_conflict', 409, { ...context, currentRevision });
  }
}

/** The disk (or the quota) is full: said in those words, never as "disk I/O error" or a 500. */
export class DiskFullError extends AppError {
  constructor(
    message = msg('The disk is full: nothing could be saved. Free some space (delete files) or ask your administrator.'),
    context: Record<string, unknown> = {},
    options: ErrorOptions = {},
  ) {
    super(message, 'disk_full', 507, context, options);
  }
}

/** A backup, restore, clone or export could not be done now (the reason says why: a backup that fails its checks, a file still in use); nothing was changed. */
export class OperationFailedError extends AppError {
  constructor(message: string, context: Record<string, unknown> = {}, options: ErrorOptions = {}) {
    super(message, 'operation_failed', 409, context, options);
  }
}

/** An archive or database offered for import was refused: untrusted input, a 400 with the reason. */
export class ImportRefusedError extends ValidationError {
  constructor(
    /** What was wrong with the file, without the "Import refused" before it. */
    readonly reason: string,
    options: ErrorOptions = {},
  ) {
    super([{ field: 'import', message: msg('refused: {{reason}}', { reason }) }], msg('Import refused: {{reason}}', { reason }), options);
  }
}

export class ConfigError extends AppError {
  constructor(message: string, context: Record<string, unknown> = {}, options: ErrorOptions = {}) {
    super(message, 'config_invalid', 500, context, options);
  }
}

/** A tenant connection was asked to ATTACH another database file. */
export class AttachRefusedError extends AppError {
  constructor() {
    super('ATTACH is not allowed on tenant connections.', 'attach_refused', 500);
  }
}

export class ProvisioningError extends AppError {
  constructor(message: string, context: Record<string, unknown> = {}, options: ErrorOptions = {}) {
    super(message, 'provisioning_failed', 500, context, options);
  }
}

/** The server cannot start: a port in use, another server on the data folder. The message says what to do. */
export class StartupError extends AppError {
  constructor(message: string, context: Record<string, unknown> = {}, options: ErrorOptions = {}) {
    super(message, 'startup_failed', 500, context, options);
  }
}

/** What a refusal for a limit says to a program: which limit, the use now, the limit. */
export interface LimitDetails {
  limit: string;
  used: number;
  max: number;
}

/**
 * An action would take the workspace past a limit of its plan: refused before anything is
 * written. 429 for a request rate (API requests per day), 403 otherwise. The message names the
 * limit, the use, the limit and whom to ask.
 */
export class LimitReachedError extends AppError {
  readonly details: LimitDetails;
  constructor(message: string, details: LimitDetails, status: 403 | 429 = 403) {
    super(message, 'limit_reached', status, { ...details });
    this.details = details;
  }
}

/** A route of a feature the workspace's plan does not include (a page answers 404 instead: it does not exist for them). */
export class FeatureDisabledError extends AppError {
  constructor(feature: string) {
    super(msg('This workspace’s plan does not include this feature.'), 'feature_disabled', 403, { feature });
  }
}
