import type { Express, RequestHandler } from 'express';
import type { Platform } from './create-platform';
import type { SessionRepository } from '../control-plane/auth/session-repository';
import type { BackgroundTasks } from '../core/jobs/background-tasks';
import { impersonationSession } from '../control-plane/impersonation/impersonation-session';
import { breakGlassBanner } from '../control-plane/break-glass/break-glass-banner';
import { createPasswordResetLimits, type PasswordResetLimitOptions } from '../control-plane/auth/password-reset-limits';
import { devLoginRoutes } from '../control-plane/routes/dev-login-routes';
import { passwordResetRoutes } from '../control-plane/routes/password-reset-routes';
import { emailChangeRoutes } from '../control-plane/routes/email-change-routes';
import { impersonationRoutes } from '../control-plane/routes/impersonation-routes';
import { adminUserRoutes } from '../control-plane/routes/admin-user-routes';
import { breakGlassRoutes } from '../control-plane/routes/break-glass-routes';

/**
 * Runs right after the session user is known, on every request: who the request acts as (an
 * impersonation in force, or ended at its expiry) and the super admin's open break-glass access,
 * for the banner every page shows.
 */
export function accountsMiddleware(platform: Platform): RequestHandler[] {
  return [impersonationSession(platform), breakGlassBanner(platform)];
}

export interface AccountsParts {
  sessions: SessionRepository;
  background: BackgroundTasks;
  tokenLimit: RequestHandler;
  passwordResetLimits?: PasswordResetLimitOptions;
}

/**
 * Users, password reset, the link that confirms a new address, impersonation, break-glass and the developer sign-in. Mounted before
 * the sign-in routes: the developer sign-in and the reset notice add to the sign-in page.
 */
export function mountAccounts(app: Express, platform: Platform, parts: AccountsParts): void {
  app.use(devLoginRoutes(platform));
  app.use(
    passwordResetRoutes(platform, parts.sessions, parts.background, { request: createPasswordResetLimits(parts.passwordResetLimits), token: parts.tokenLimit }),
  );
  app.use(emailChangeRoutes(platform, parts.tokenLimit));
  app.use(impersonationRoutes(platform));
  app.use('/admin', adminUserRoutes(platform, parts.sessions));
  app.use('/admin', breakGlassRoutes(platform));
}
