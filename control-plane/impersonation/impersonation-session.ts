import type { Request, RequestHandler, Response } from 'express';
import type { ControlPlane } from '../control-plane';
import type { ImpersonationState, SessionUser } from '../../core/http/request-types';
import { ForbiddenError } from '../../core/errors/app-errors';
import { answersJson } from '../../core/http/answers-json';
import { clientOf } from '../../core/http/client-of';
import { formatUtcTime } from '../../core/time/utc-time';
import { toSessionUser } from '../users/user-record';
import { endImpersonation, type ImpersonationEnd } from './end-impersonation';

/** What the banner shows while impersonating (views/partials/access-banner.ejs). */
export interface ImpersonationBanner {
  targetName: string;
  targetEmail: string;
  realName: string;
  reason: string;
  expiresAt: number;
}

/** The impersonated user, while the impersonation may go on; otherwise why it ends. */
function check(platform: ControlPlane, state: ImpersonationState, real: SessionUser | undefined): SessionUser | ImpersonationEnd {
  if (!real || real.id !== state.realUserId || !real.isSuperAdmin) return 'signed-out';
  if (Date.now() >= state.expiresAt) return 'expired';
  const target = platform.users.findById(state.targetUserId);
  if (!target || target.status !== 'active' || target.is_super_admin) return 'target-unavailable';
  return toSessionUser(target);
}

/**
 * Runs right after sessionUser, on every request: while the session holds an impersonation that
 * may go on, the request's user becomes the impersonated user and req.realUser the super admin.
 * Otherwise the impersonation ends here, checked on each request (no timer): recorded, the
 * session id renewed, a page request sent to the user's admin page and anything else refused,
 * since it was meant to run as someone the session no longer acts as.
 */
export function impersonationSession(platform: ControlPlane): RequestHandler {
  return (req, res, next) => {
    const state = req.session?.impersonation;
    if (!state) return next();
    const real = req.user;
    const outcome = check(platform, state, real);
    if (typeof outcome !== 'string') {
      req.realUser = real;
      req.user = outcome;
      res.locals.impersonation = banner(outcome, real as SessionUser, state);
      return next();
    }
    endImpersonation(platform, state, outcome, clientOf(req));
    if (!real) {
      delete req.session.impersonation;
      return next();
    }
    // A privilege change: a new session id, the super admin again.
    req.renewSession({});
    afterEnd(req, res, next, state, outcome);
  };
}

function afterEnd(req: Request, res: Response, next: (err?: unknown) => void, state: ImpersonationState, how: ImpersonationEnd): void {
  if (req.method === 'GET' && !answersJson(res) && req.accepts(['html', 'json']) !== 'json') {
    res.redirect(303, `/admin/users/${state.targetUserId}?done=impersonation-${how}`);
    return;
  }
  next(
    new ForbiddenError(
      how === 'expired'
        ? `Your impersonation ended at ${formatUtcTime(state.expiresAt)}; nothing was done. Start it again from the user's page if you still need it.`
        : 'Your impersonation has ended; nothing was done.',
      { impersonation: how },
    ),
  );
}

function banner(target: SessionUser, real: SessionUser, state: ImpersonationState): ImpersonationBanner {
  return { targetName: target.name, targetEmail: target.email, realName: real.name, reason: state.reason, expiresAt: state.expiresAt };
}
