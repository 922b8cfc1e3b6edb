import type { Request } from 'express';
import type { ImpersonationState } from '../../core/http/request-types';

/**
 * A privilege change gets a new session id: the old id (and any CSRF token bound to it) stops
 * working. The signed-in user stays the super admin (`passport.user`), where the session was
 * signed in from is kept, and the impersonation is set or cleared.
 */
export function switchSession(req: Request, signedIn: string, impersonation?: ImpersonationState): Promise<void> {
  const client = req.session.client;
  return new Promise((resolve, reject) => {
    req.session.regenerate((err) => {
      if (err) return reject(err);
      (req.session as unknown as { passport: { user: string } }).passport = { user: signedIn };
      if (client) req.session.client = client;
      if (impersonation) req.session.impersonation = impersonation;
      resolve();
    });
  });
}
