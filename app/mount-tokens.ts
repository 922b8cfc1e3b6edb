import type { Express } from 'express';
import type { Platform } from './create-platform';
import { accountTokenRoutes } from '../control-plane/routes/account-token-routes';
import { apiDocsRoutes } from '../control-plane/routes/api-docs-routes';

/** The personal tokens page and the API's docs page. */
export function mountTokenPages(app: Express, platform: Platform, document: () => Record<string, unknown>): void {
  app.use('/account/tokens', accountTokenRoutes(platform));
  app.use(apiDocsRoutes(platform, document));
}
