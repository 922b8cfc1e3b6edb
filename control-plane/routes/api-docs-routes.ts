import { Router } from 'express';
import type { ControlPlane } from '../control-plane';
import { loadApiDocsPage } from '../pages/api-docs-page';

/** The API's docs page, rendered here from the OpenAPI document (no script, nothing from elsewhere). */
export function apiDocsRoutes(platform: ControlPlane, document: () => Record<string, unknown>): Router {
  const router = Router();
  router.get('/docs/api', (_req, res) => {
    res.render('api/docs', loadApiDocsPage(document(), platform.config.baseUrl));
  });
  return router;
}
