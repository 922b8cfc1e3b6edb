import type { Request, RequestHandler, Response } from 'express';
import type { FieldProblem, LimitDetails } from '../errors/app-errors';
import type { ClosedTenantNotice } from '../errors/tenant-unavailable-errors';

/** Short titles for the statuses the API answers with (RFC 9457 `title`). */
const TITLES: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthenticated',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflict',
  410: 'Gone',
  413: 'Payload too large',
  415: 'Unsupported media type',
  416: 'Range not satisfiable',
  422: 'Unprocessable content',
  429: 'Too many requests',
  500: 'Internal error',
  503: 'Service unavailable',
};

/** An error as `application/problem+json` (RFC 9457), with the product's stable code and the fields at fault. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance?: string;
  request_id?: string;
  errors?: FieldProblem[];
  /** Why a workspace is closed to this member (suspended, damaged): reason, until when, whom to contact. */
  notice?: ProblemNotice;
  /** A refusal for a plan limit (code limit_reached): which limit, the use now, the limit. */
  limit?: string;
  used?: number;
  max?: number;
  /** A refusal for a stale revision (code revision_conflict): the thing's current revision. */
  current_revision?: number;
}

/** A closed workspace's notice as the API shows it: its fields in snake_case, the end as an ISO 8601 instant, like every other field. */
export interface ProblemNotice {
  state: ClosedTenantNotice['state'];
  tenant_name: string;
  reason: string | null;
  until: string | null;
  contacts: string[];
}

function noticeOf(notice: ClosedTenantNotice): ProblemNotice {
  return {
    state: notice.state,
    tenant_name: notice.tenantName,
    reason: notice.reason,
    until: notice.until === null ? null : new Date(notice.until).toISOString(),
    contacts: notice.contacts,
  };
}

/**
 * Marks the routes behind it as the REST API: every error they answer (the 404 of tenant entry,
 * a refused token, a rate limit) is problem+json. Implies JSON answers.
 */
export const declareProblemJson: RequestHandler = (_req, res, next) => {
  markProblemJson(res);
  next();
};

export function markProblemJson(res: Response): void {
  res.locals.answers = 'json';
  res.locals.problemJson = true;
}

export function answersProblemJson(res: Response): boolean {
  return res.locals.problemJson === true;
}

/** The problem document for an error; `type` points at the code's entry on the API docs page. */
export function problemOf(
  status: number,
  code: string,
  detail: string,
  extra: {
    instance?: string;
    requestId?: string;
    errors?: FieldProblem[];
    notice?: ClosedTenantNotice;
    limit?: LimitDetails;
    currentRevision?: number;
  } = {},
): Problem {
  return {
    type: `/docs/api#problem-${code}`,
    title: TITLES[status] ?? 'Error',
    status,
    detail,
    code,
    ...(extra.instance ? { instance: extra.instance } : {}),
    ...(extra.requestId ? { request_id: extra.requestId } : {}),
    ...(extra.errors ? { errors: extra.errors } : {}),
    ...(extra.notice ? { notice: noticeOf(extra.notice) } : {}),
    ...(extra.limit ?? {}),
    ...(extra.currentRevision !== undefined ? { current_revision: extra.currentRevision } : {}),
  };
}

/** The path a problem is about, as the client sent it (mounted routers see only their part of it; no query, which may hold a secret). */
export function instanceOf(req: Request): string {
  return req.originalUrl.split('?')[0].slice(0, 200);
}

/** Sends a problem document (for answers that never reach the error handler, such as a rate limit). */
export function sendProblem(res: Response, problem: Problem): void {
  res.status(problem.status).type('application/problem+json').send(JSON.stringify(problem));
}
