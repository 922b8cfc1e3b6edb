import { msg } from '../../core/i18n/message';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import { clientOf } from '../../core/http/client-of';
import { formView } from '../../core/http/form-view';
import { UnauthenticatedError } from '../../core/errors/app-errors';
import type { ControlPlane } from '../control-plane';
import { confirmEnrolment, replaceRecoveryCodes, startEnrolment, turnOffTwoStep, waitingEnrolment } from '../two-step/manage-two-step';

/**
 * The account page's "Two-step sign-in" (decision 060), mounted inside the account routes (signed
 * in, not impersonating): turn on (a key shown once as a QR code and as text, proven with the
 * password and a code), turn off and new recovery codes (each with the password and a code).
 * Pages that show a key or recovery codes are never stored by the browser.
 */
export function twoStepAccountRoutes(platform: ControlPlane, accountForm: RequestHandler, passwordLimit: RequestHandler): Router {
  const router = Router();
  const userOf = (req: Request): Express.User => {
    if (!req.user) throw new UnauthenticatedError();
    return req.user;
  };
  const enrolLocals = (req: Request) => {
    const user = userOf(req);
    return { title: msg('Turn on two-step sign-in'), enrolment: waitingEnrolment(platform, user.id, user.email) };
  };
  const showCodes = (res: Response, codes: string[]) => {
    res.set('Cache-Control', 'no-store');
    res.render('account/two-step-codes', { title: msg('Your recovery codes'), codes });
  };

  router.post('/start', accountForm, (req, res) => {
    startEnrolment(platform, userOf(req).id);
    res.redirect(303, '/account/two-step/enrol');
  });

  router.get('/enrol', (req, res) => {
    const locals = enrolLocals(req);
    if (!locals.enrolment) return res.redirect(303, '/account');
    res.set('Cache-Control', 'no-store');
    res.render('account/two-step-enrol', { ...locals, values: {}, errors: {} });
  });

  const enrolForm: RequestHandler = (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    formView('account/two-step-enrol', () => enrolLocals(req))(req, res, next);
  };
  router.post('/enable', enrolForm, passwordLimit, async (req, res) => {
    showCodes(res, await confirmEnrolment(platform, userOf(req).id, req.body, clientOf(req)));
  });

  router.post('/off', accountForm, passwordLimit, async (req, res) => {
    await turnOffTwoStep(platform, userOf(req).id, req.body, clientOf(req));
    res.redirect(303, '/account?done=two_step_off');
  });

  router.post('/recovery-codes', accountForm, passwordLimit, async (req, res) => {
    showCodes(res, await replaceRecoveryCodes(platform, userOf(req).id, req.body, clientOf(req)));
  });

  return router;
}
