import { msg } from '../../core/i18n/message';
import { requireConfirmation } from '../../core/http/confirm-action';
import { Router, type Request, type RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import type { SessionRepository } from '../auth/session-repository';
import { requireUser } from '../http/require-user';
import { formView } from '../../core/http/form-view';
import { NotFoundError, UnauthenticatedError } from '../../core/errors/app-errors';
import { createTokenEndpointLimit } from '../auth/login-rate-limits';
import { sessionRef } from '../auth/session-ref';
import { changeName } from '../account/change-name';
import { changeLanguage } from '../account/change-language';
import { LANGUAGES } from '../../core/i18n/languages';
import { changePassword } from '../account/change-password';
import { chooseDefaultTenant } from '../account/choose-default-tenant';
import { revokeOtherSessions, revokeSession } from '../account/revoke-session';
import { leaveTenant } from '../memberships/leave-tenant';
import { clientOf } from '../../core/http/client-of';
import { refuseWhileImpersonating } from '../impersonation/refuse-while-impersonating';
import { queryNotice } from '../../core/http/query-notice';
import { browserLanguage } from '../../core/i18n/page-language';
import { createEmailChangeLimits, type EmailChangeLimitOptions } from '../auth/email-change-limits';
import { requestEmailChange } from '../account/request-email-change';
import { EmailChangeRepository } from '../account/email-change-repository';
import { TwoStepRepository } from '../two-step/two-step-repository';
import { twoStepAccountRoutes } from './two-step-account-routes';

/** What a redirect back to the page may announce (the query names a key, never free text). */
const NOTICES: Record<string, string> = {
  name: msg('Your name was saved.'),
  email_sent: msg('A confirmation link was mailed to the new address. Your address changes once it is followed; until then it stays as it is.'),
  email: msg('Your email address was changed.'),
  language: msg('Your language was saved.'),
  password: msg('Your password was changed. Your other sessions were signed out.'),
  default: msg('Your default workspace was saved.'),
  session: msg('That session was signed out.'),
  others: msg('Your other sessions were signed out.'),
  left: msg('You left the workspace.'),
  two_step_off: msg('Two-step sign-in is off: signing in asks for your password only.'),
};

/** The signed-in user's own page: name, email address, password, default workspace, sessions, memberships. */
export function accountRoutes(platform: ControlPlane, sessions: SessionRepository, emailChangeLimits: EmailChangeLimitOptions = {}): Router {
  const router = Router();
  router.use(requireUser);
  // A super admin acting as this user sees the page but changes nothing on it.
  router.use(refuseWhileImpersonating(platform, msg('account settings')));

  const userIdOf = (req: Request): string => {
    if (!req.user) throw new UnauthenticatedError();
    return req.user.id;
  };

  const pageLocals = (req: Request) => {
    const userId = userIdOf(req);
    const record = platform.users.findById(userId);
    const secret = platform.config.sessionSecret;
    const soleOwner = platform.memberships.soleOwnerships(userId);
    const twoStep = new TwoStepRepository(platform.db);
    return {
      title: msg('Your account'),
      twoStep: { on: twoStep.isOn(userId), recoveryCodesLeft: twoStep.unusedRecoveryCodes(userId) },
      languages: LANGUAGES,
      defaultTenantId: record?.default_tenant_id ?? '',
      // The change of address waiting for its link, if any (asking again replaces it).
      pendingEmail: new EmailChangeRepository(platform.db).liveOfUser(userId)[0],
      // Leaving is offered where it can succeed: a workspace's last owner must hand ownership on first.
      tenants: platform.access.tenantsOfUser(userId).map((w) => ({ ...w, lastOwner: soleOwner.has(w.tenant_id) })),
      sessions: sessions.listForUser(userId).map((s) => ({
        ref: sessionRef(secret, s.sid),
        userAgent: s.user_agent,
        ip: s.ip,
        lastSeenAt: s.last_seen_at,
        current: s.sid === req.sessionID,
      })),
    };
  };

  /** Every form on the page re-renders the whole page, with its field's reason, on bad input. */
  const accountForm: RequestHandler = (req, res, next) => formView('account/account', () => pageLocals(req))(req, res, next);
  const back = (key: keyof typeof NOTICES) => `/account?done=${key}`;
  // Guessing the current password from a stolen session is slowed like sign-in is.
  const passwordLimit = createTokenEndpointLimit(10);
  const emailLimits = createEmailChangeLimits(emailChangeLimits);

  router.get('/', (req, res) => {
    const done = queryNotice(NOTICES, req.query.done);
    res.render('account/account', { ...pageLocals(req), notice: done, values: {}, errors: {} });
  });

  router.use('/two-step', twoStepAccountRoutes(platform, accountForm, passwordLimit));

  router.post('/name', accountForm, (req, res) => {
    changeName(platform, userIdOf(req), req.body, clientOf(req));
    res.redirect(303, back('name'));
  });

  router.post('/email', accountForm, passwordLimit, ...emailLimits, async (req, res) => {
    // The mails go in the account's language, else the page's (the browser's outside a workspace).
    await requestEmailChange(platform, userIdOf(req), req.body, clientOf(req), req.user?.language ?? browserLanguage(req));
    res.redirect(303, back('email_sent'));
  });

  router.post('/language', accountForm, (req, res) => {
    changeLanguage(platform, userIdOf(req), req.body, clientOf(req));
    res.redirect(303, back('language'));
  });

  router.post('/password', accountForm, passwordLimit, async (req, res) => {
    await changePassword(platform, sessions, { userId: userIdOf(req), sid: req.sessionID ?? '' }, req.body, clientOf(req));
    // The session that made the change stays signed in, under a new id (a privilege change).
    req.renewSession(req.session);
    res.redirect(303, back('password'));
  });

  router.post('/default-tenant', accountForm, (req, res) => {
    chooseDefaultTenant(platform, userIdOf(req), req.body, clientOf(req));
    res.redirect(303, back('default'));
  });

  router.post('/sessions/revoke', accountForm, (req, res, next) => {
    const revoked = revokeSession(platform, sessions, userIdOf(req), req.body, clientOf(req));
    if (revoked.sid !== req.sessionID) return res.redirect(303, back('session'));
    // Revoking this very session is signing out.
    req.logout((err) => (err ? next(err) : res.redirect(303, '/login')));
  });

  router.post('/sessions/revoke-others', (req, res) => {
    revokeOtherSessions(platform, sessions, userIdOf(req), req.sessionID ?? '', clientOf(req));
    res.redirect(303, back('others'));
  });

  /** Leaving asks first, naming the workspace (one the user is a member of; anything else is not found). */
  const confirmLeave = requireConfirmation((req) => {
    const tenantId = typeof req.body?.tenant_id === 'string' ? req.body.tenant_id : '';
    const mine = platform.access.tenantsOfUser(userIdOf(req)).find((t) => t.tenant_id === tenantId);
    if (!mine) throw new NotFoundError(msg('You are not a member of that workspace.'));
    return {
      title: msg('Leave {{name}}?', { name: mine.name }),
      message: msg('You lose access to {{name}} at once, until someone invites you again.', { name: mine.name }),
      confirmLabel: msg('Leave the workspace'),
      cancelHref: '/account',
    };
  });

  router.post('/leave', accountForm, confirmLeave, (req, res) => {
    const { tenantId } = leaveTenant(platform, userIdOf(req), req.body, clientOf(req));
    if (req.session.lastTenantId === tenantId) delete req.session.lastTenantId;
    res.redirect(303, back('left'));
  });

  return router;
}
