import { msg } from '../../core/i18n/message';
import type { Request } from 'express';
import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { ControlPlane } from '../control-plane';
import { toSessionUser } from '../users/user-record';
import { dummyPasswordHash, verifyPassword, PASSWORD_MAX } from './password-hasher';

export const WRONG_CREDENTIALS = msg('Email or password is incorrect.');

/**
 * The email and password a sign-in form sent, from its body only: the per-account throttle, the
 * password check and the audit record all read them here. passport-local would also take them
 * from the query string, where a guess at `?email=` escaped the throttle (it reads the body) and a
 * password would land in access logs.
 */
export function signInFields(req: Request): { email: string; password: string } {
  const body = req.body as { email?: unknown; password?: unknown } | undefined;
  return {
    email: typeof body?.email === 'string' ? body.email : '',
    password: typeof body?.password === 'string' ? body.password : '',
  };
}

/**
 * One passport instance per app (tests build several apps in one process), for signing in with
 * an email and a password only: the session itself, and req.login and req.logout, belong to the
 * session layer (control-plane/auth/session-layer.ts).
 */
export function createPassport(platform: ControlPlane): passport.PassportStatic {
  const instance = new passport.Passport() as unknown as passport.PassportStatic;
  instance.use(
    new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, _email, _password, done) => {
      (async () => {
        const { email, password } = signInFields(req);
        const user = email.length <= 320 ? platform.users.findByEmail(email) : undefined;
        const candidate = password.slice(0, PASSWORD_MAX + 1);
        // Unknown email: verify against a dummy hash so both failures take as long and read the same.
        const ok = await verifyPassword(user?.password_hash ?? (await dummyPasswordHash()), candidate);
        if (!user || !ok || user.status !== 'active') return done(null, false, { message: WRONG_CREDENTIALS });
        return done(null, toSessionUser(user));
      })().catch(done);
    }),
  );
  return instance;
}
