import { msg } from '../i18n/message';
import { AppError } from './app-errors';

/*
 * The errors for a workspace that cannot be served now: back within seconds (a restore, an
 * import), waiting for the people who run the service (damaged, behind the code), or closed to
 * its members (suspended). The rest of the catalogue is in app-errors.ts.
 */

/** A workspace not served for now (503, with Retry-After when it is expected back within seconds). */
export class TenantUnavailableError extends AppError {
  /** Sent as Retry-After when set: the tenant is expected back within seconds (a restore, an import). */
  readonly retryAfterSeconds?: number;

  constructor(message: string, context: Record<string, unknown> = {}, options: ErrorOptions = {}) {
    super(message, 'tenant_unavailable', 503, context, options);
    if (typeof context.retryAfterSeconds === 'number') this.retryAfterSeconds = context.retryAfterSeconds;
  }
}

/**
 * A workspace that cannot be served until the people who run the service act on it: its file is
 * damaged, or its database is behind the code. Its members read a plain message; `reason` is the
 * operator's detail (logs, console, CLI), shown on a page or in a problem only to a super admin
 * (core/http/error-handler.ts), never to members.
 */
export class TenantNeedsOperatorError extends TenantUnavailableError {
  readonly reason: string;
  constructor(message: string, reason: string, context: Record<string, unknown> = {}, options: ErrorOptions = {}) {
    super(message, context, options);
    this.reason = reason;
  }
}

/** A tenant file that cannot be served: missing, empty, not a database, truncated, or failing its checks. */
export class TenantDamagedError extends TenantNeedsOperatorError {
  constructor(reason: string, context: Record<string, unknown> = {}, options: ErrorOptions = {}) {
    super(
      msg('This workspace cannot be opened: its data needs the attention of the people who run this service. Nothing was changed.'),
      reason,
      { ...context, reason },
      options,
    );
  }
}

/** A tenant database behind the code (its migration has not run, or failed): never migrated on a request (docs/decisions/002). */
export class TenantBehindError extends TenantNeedsOperatorError {
  constructor(reason: string, context: Record<string, unknown> = {}) {
    super(
      msg('This workspace is being updated and cannot be used for now. Please try again later; if this lasts, contact its owner or administrator.'),
      reason,
      { ...context, reason: 'behind' },
    );
  }
}

/** What a member of a closed workspace is told: why, until when, and whom to contact. */
export interface ClosedTenantNotice {
  state: 'suspended' | 'damaged';
  tenantName: string;
  reason: string | null;
  until: number | null;
  contacts: string[];
}

/**
 * A member reached a workspace that is closed to them (suspended, damaged). Only members get
 * this answer: everyone else gets the 404 of an unknown workspace.
 */
export class TenantClosedError extends AppError {
  constructor(readonly notice: ClosedTenantNotice) {
    super(
      notice.state === 'suspended'
        ? msg('{{name}} is suspended.', { name: notice.tenantName })
        : msg('{{name}} is unavailable: its data needs attention.', { name: notice.tenantName }),
      notice.state === 'suspended' ? 'tenant_suspended' : 'tenant_damaged',
      notice.state === 'suspended' ? 403 : 503,
      { state: notice.state },
    );
  }
}
