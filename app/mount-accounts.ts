import type { Express } from 'express';
import type { Platform } from './create-platform';
import type { SqliteSessionStore } from '../control-plane/auth/sqlite-session-store';
import { adminUserRoutes } from '../control-plane/routes/admin-user-routes';

export interface AccountsParts {
  sessions: SqliteSessionStore;
}

/** The super admin's users pages. */
export function mountAccounts(app: Express, platform: Platform, parts: AccountsParts): void {
  app.use('/admin', adminUserRoutes(platform, parts.sessions));
}
