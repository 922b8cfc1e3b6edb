import { msg } from '../../core/i18n/message';
import passport from 'passport';
import type { RequestHandler } from 'express';
import { Strategy as LocalStrategy } from 'passport-local';
import type { ControlPlane } from '../control-plane';
import type { SessionUser } from '../../core/http/request-types';
import { toSessionUser } from '../users/user-record';
import { dummyPasswordHash, verifyPassword, PASSWORD_MAX } from './password-hasher';

export const WRONG_CREDENTIALS = msg('Email or password is incorrect.');

/** One passport instance per app (tests build several apps in one process). */
export function createPassport(platform: ControlPlane): passport.PassportStatic {
  const instance = new passport.Passport() as unknown as passport.PassportStatic;
  instance.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password' }, (email, password, done) => {
      (async () => {
        const user = typeof email === 'string' && email.length <= 320 ? platform.users.findByEmail(email) : undefined;
        const candidate = typeof password === 'string' ? password.slice(0, PASSWORD_MAX + 1) : '';
        // Unknown email: verify against a dummy hash so both failures take as long and read the same.
        const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), candidate);
        if (!user || !ok || user.status !== 'active') return done(null, false, { message: WRONG_CREDENTIALS });
        return done(null, toSessionUser(user));
      })().catch(done);
    }),
  );
  instance.serializeUser((user, done) => done(null, user.id));
  instance.deserializeUser((id: string, done) => done(null, activeSessionUser(platform, id) ?? false));
  return instance;
}

/** The user a session was signed in as, while that user exists and is active. */
function activeSessionUser(platform: ControlPlane, id: unknown): SessionUser | undefined {
  const user = typeof id === 'string' ? platform.users.findById(id) : undefined;
  return user && user.status === 'active' ? toSessionUser(user) : undefined;
}

/**
 * What passport.session() does, without passport's per-request strategy set-up: the user id
 * stored in the session at sign-in becomes req.user. The user is read on every request, so a
 * deleted or disabled user stops being signed in at once: the id is dropped from the session
 * and the request goes on signed out.
 */
export function sessionUser(platform: ControlPlane): RequestHandler {
  return (req, _res, next) => {
    const stored = (req.session as { passport?: { user?: unknown } } | undefined)?.passport;
    if (stored?.user) {
      const user = activeSessionUser(platform, stored.user);
      if (user) req.user = user;
      else delete stored.user;
    }
    next();
  };
}
