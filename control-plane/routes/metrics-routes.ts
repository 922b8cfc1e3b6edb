import { Router } from 'express';
import type { ControlPlane } from '../control-plane';
import { bearerTokenMatches, isDirectLoopback } from '../../core/http/loopback-or-token';
import type { PlatformMetrics } from '../metrics/platform-metrics';
import { diskSpaces } from '../backups/disk-report';

/**
 * `/metrics` in Prometheus's text format, for a scraper on this machine (loopback, not through
 * a proxy) or one that sends `Authorization: Bearer <METRICS_TOKEN>`. Anyone else gets a 403.
 * `/healthz`, for load balancers and monitors, says only that the server is up and can read its
 * control plane (a 503 naming which of the two reasons, locked or unreadable, when it cannot) and
 * whether free space in DATA_DIR or BACKUP_DIR is low; the details are here, on /admin and on
 * /admin/fleet, and the error itself in the log.
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
    const probe = platform.db.probe();
    if (!probe.ok) {
      platform.logger.warn({ err: probe.error }, 'health check: the control plane cannot be read');
      res.status(503).json({ ok: false, error: probe.reason });
      return;
    }
    res.json(diskSpaces(platform.config).some((d) => d.space?.low) ? { ok: true, warnings: ['low_disk_space'] } : { ok: true });
  });
  return router;
}
