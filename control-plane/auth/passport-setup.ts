import { msg } from '../../core/i18n/message';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { ControlPlane } from '../control-plane';
import { toSessionUser } from '../users/user-record';
import { dummyPasswordHash, verifyPassword, PASSWORD_MAX } from './password-hasher';

export const WRONG_CREDENTIALS = msg('Email or password is incorrect.');

/**
 * One passport instance per app (tests build several apps in one process), for signing in with
 * an email and a password only: the session itself, and req.login and req.logout, belong to the
 * session layer (control-plane/auth/session-layer.ts).
 */
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
  return instance;
}
