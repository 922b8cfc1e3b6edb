import { Router, type Request, type RequestHandler } from 'express';
import type { ControlPlane } from '../control-plane';
import type { SessionRepository } from '../auth/session-repository';
import { requireSuperAdmin, requireUser } from '../http/require-user';
import { formView } from '../../core/http/form-view';
import { operatorOf } from '../audit/operator';
import { changeUserStatus, signOutEverywhere } from '../users/change-user-status';
import { deleteUser } from '../users/delete-user';
import { accountDeletedJustNow } from '../users/repeated-deletion';
import { startImpersonation } from '../impersonation/start-impersonation';
import { refuseSecondImpersonation } from '../impersonation/refuse-second-impersonation';
import { toSessionUser } from '../users/user-record';
import { landingPath } from './landing-path';
import { resetTwoStep } from '../two-step/reset-two-step';
import { loadUserPage, loadUsersPage, parseUserFilter, userFromParam } from '../pages/users-page';

/** Super-admin pages for every account: search, memberships, disable, sign out, turn two-step sign-in off, delete, impersonate. Everyone else gets 404. */
export function adminUserRoutes(platform: ControlPlane, sessions: SessionRepository): Router {
  const router = Router();
  router.post('/users/:id/impersonate', refuseSecondImpersonation);
  router.use('/users', requireUser, requireSuperAdmin);

  const subjectOf = (req: Request) => userFromParam(platform, req.params.id);
  /**
   * A form on the user's page re-renders that page, with its field's reason, on bad input. The
   * user is looked up now: express has reset req.params by the time the error handler loads the page.
   */
  const userForm: RequestHandler = (req, res, next) => {
    const subject = subjectOf(req);
    formView('admin/user', () => loadUserPage(platform, sessions, req, platform.users.findById(subject.id) ?? subject))(req, res, next);
  };
  const back = (id: string, done: string) => `/admin/users/${id}?done=${done}`;

  router.get(
    '/users',
    (req, res, next) => formView('admin/users', () => loadUsersPage(platform, req))(req, res, next),
    (req, res) => {
      res.render('admin/users', { ...loadUsersPage(platform, req, parseUserFilter(req)), values: {}, errors: {} });
    },
  );

  router.get('/users/:id', (req, res) => {
    res.render('admin/user', { ...loadUserPage(platform, sessions, req, subjectOf(req)), values: {}, errors: {} });
  });

  // Refused on the page (its "Disable anyway" box) while the account is the only active owner of a workspace, unless that box is ticked.
  router.post('/users/:id/disable', userForm, (req, res) => {
    const force = (req.body as { force?: unknown } | undefined)?.force === 'yes';
    const { user } = changeUserStatus(platform, sessions, subjectOf(req).id, 'disabled', operatorOf(req), { force });
    res.redirect(303, back(user.id, 'disabled'));
  });

  router.post('/users/:id/enable', (req, res) => {
    const { user } = changeUserStatus(platform, sessions, subjectOf(req).id, 'active', operatorOf(req));
    res.redirect(303, back(user.id, 'enabled'));
  });

  router.post('/users/:id/sign-out', (req, res) => {
    const { user } = signOutEverywhere(platform, sessions, subjectOf(req).id, operatorOf(req));
    // Signing oneself out everywhere includes this session.
    res.redirect(303, user.id === req.user?.id ? '/login' : back(user.id, 'signed-out'));
  });

  // The same deletion sent again (a double click) finds the account the first one deleted moments ago.
  const deletionForm: RequestHandler = (req, res, next) => {
    const id = String(req.params.id);
    if (!platform.users.findById(id) && accountDeletedJustNow(platform.db, id, operatorOf(req))) return res.redirect(303, '/admin/users?done=deleted');
    userForm(req, res, next);
  };
  router.post('/users/:id/delete', deletionForm, (req, res) => {
    deleteUser(platform, sessions, subjectOf(req).id, req.body, operatorOf(req));
    res.redirect(303, '/admin/users?done=deleted');
  });

  // Typed confirmation: the account's email address, as for a deletion (decision 060).
  router.post('/users/:id/two-step-reset', userForm, async (req, res) => {
    const { user, mailed } = await resetTwoStep(platform, subjectOf(req).id, req.body, operatorOf(req));
    res.redirect(303, back(user.id, mailed ? 'two-step-reset' : 'two-step-reset-unmailed'));
  });

  router.post('/users/:id/impersonate', userForm, (req, res) => {
    const op = { ...operatorOf(req), userId: (req.user as Express.User).id };
    const state = startImpersonation(platform, op, subjectOf(req).id, req.body);
    // A privilege change: a new session id, still signed in as the super admin, now acting as the user.
    req.renewSession({ impersonation: state });
    const target = platform.users.findById(state.targetUserId);
    res.redirect(303, target ? landingPath(platform, toSessionUser(target)) : '/');
  });

  return router;
}
