import { Router } from 'express';
import type { ControlPlane } from '../control-plane';
import { bearerTokenMatches, isDirectLoopback } from '../../core/http/loopback-or-token';
import type { PlatformMetrics } from '../metrics/platform-metrics';

/**
 * `/metrics` in Prometheus's text format, for a scraper on this machine (loopback, not through
 * a proxy) or one that sends `Authorization: Bearer <METRICS_TOKEN>`. Anyone else gets a 403.
 * `/healthz` says only that the server is up; the details are here and on /admin.
 */
export function metricsRoutes(platform: ControlPlane, metrics: PlatformMetrics): Router {
  const router = Router();
  router.get('/metrics', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    if (!isDirectLoopback(req) && !bearerTokenMatches(req, platform.config.metricsToken)) {
      res.status(403).type('text/plain').send('Metrics are served to this machine, or with Authorization: Bearer <METRICS_TOKEN>.\n');
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  router.get('/healthz', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ ok: true });
  });
  return router;
}
