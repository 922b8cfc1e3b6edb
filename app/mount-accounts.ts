import type { Express, RequestHandler } from 'express';
import type { Platform } from './create-platform';
import type { SqliteSessionStore } from '../control-plane/auth/sqlite-session-store';
import type { BackgroundTasks } from '../core/jobs/background-tasks';
import { createPasswordResetLimits, type PasswordResetLimitOptions } from '../control-plane/auth/password-reset-limits';
import { passwordResetRoutes } from '../control-plane/routes/password-reset-routes';
import { adminUserRoutes } from '../control-plane/routes/admin-user-routes';

export interface AccountsParts {
  sessions: SqliteSessionStore;
  background: BackgroundTasks;
  tokenLimit: RequestHandler;
  passwordResetLimits?: PasswordResetLimitOptions;
}

/** Users and password reset. Mounted before the sign-in routes: the reset notice adds to the sign-in page. */
export function mountAccounts(app: Express, platform: Platform, parts: AccountsParts): void {
  app.use(
    passwordResetRoutes(platform, parts.sessions, parts.background, { request: createPasswordResetLimits(parts.passwordResetLimits), token: parts.tokenLimit }),
  );
  app.use('/admin', adminUserRoutes(platform, parts.sessions));
}
