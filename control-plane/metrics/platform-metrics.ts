import client from 'prom-client';
import type { Request, Response } from 'express';
import { routePattern } from '../../core/http/request-timing';
import type { ControlPlane } from '../control-plane';
import { TENANT_STATUSES } from '../tenants/tenant-record';
import { DiskUsageSamples } from '../lifecycle/disk-usage';
import { BackupStateRepository } from '../backups/backup-state';

export interface PlatformMetrics {
  registry: client.Registry;
  observeRequest: (req: Request, res: Response, seconds: number) => void;
}

const ROUTER_COUNTERS = [
  ['hits', 'Requests served by an open tenant handle'],
  ['opens', 'Tenant databases opened (cache misses)'],
  ['evictions', 'Idle tenant handles closed to make room'],
  ['waits', 'Requests that waited for a handle because every one was in use'],
] as const;

/**
 * The Prometheus registry of one platform (not prom-client's global one, so several apps in
 * a process, as in tests, do not collide). Gauges read their value when scraped: the router's
 * counters, tenants by status, fleet runs and the last disk usage sample.
 */
export function createPlatformMetrics(platform: Pick<ControlPlane, 'router' | 'tenants' | 'db'>, options: { processMetrics?: boolean } = {}): PlatformMetrics {
  const registry = new client.Registry();
  if (options.processMetrics) client.collectDefaultMetrics({ register: registry, prefix: 'tenantry_' });

  const durations = new client.Histogram({
    name: 'tenantry_http_request_duration_seconds',
    help: 'Time from a request to the end of its response, by route pattern',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });

  for (const [name, help] of ROUTER_COUNTERS) {
    new client.Counter({
      name: `tenantry_router_${name}_total`,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(platform.router.stats()[name]);
      },
    });
  }
  new client.Gauge({
    name: 'tenantry_router_open_handles',
    help: 'Tenant databases open now',
    registers: [registry],
    collect() {
      this.set(platform.router.stats().open);
    },
  });
  new client.Gauge({
    name: 'tenantry_router_handles_in_use',
    help: 'Tenant handles leased by a request now',
    registers: [registry],
    collect() {
      this.set(platform.router.stats().inUse);
    },
  });

  new client.Gauge({
    name: 'tenantry_tenants',
    help: 'Tenants by status (purged: tombstones)',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      const counts = platform.tenants.countByStatus();
      for (const status of TENANT_STATUSES) this.set({ status }, counts[status] ?? 0);
    },
  });
  new client.Gauge({
    name: 'tenantry_fleet_runs',
    help: 'Fleet migration runs recorded, by outcome',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const row of platform.db.all<{ status: string; n: number }>('select status, count(*) as n from fleet_runs group by status'))
        this.set({ status: row.status }, row.n);
    },
  });
  new client.Gauge({
    name: 'tenantry_fleet_last_run_failed_tenants',
    help: 'Tenants that failed in the latest fleet migration run',
    registers: [registry],
    collect() {
      const row = platform.db.get<{ n: number }>(
        "select count(*) as n from fleet_run_tenants where outcome = 'failed' and run_id = (select max(id) from fleet_runs)",
      );
      this.set(row?.n ?? 0);
    },
  });
  new client.Gauge({
    name: 'tenantry_disk_bytes',
    help: 'Bytes on disk at the last sample, live tree and archive',
    labelNames: ['location'] as const,
    registers: [registry],
    collect() {
      const latest = new DiskUsageSamples(platform.db).latest();
      this.set({ location: 'live' }, latest?.live_bytes ?? 0);
      this.set({ location: 'archive' }, latest?.archive_bytes ?? 0);
    },
  });

  // Each backup gauge reads the fleet's summary, one statement over the tenants the schedule backs up.
  const backups = new BackupStateRepository(platform.db);
  new client.Gauge({
    name: 'tenantry_backups_failed_last_day',
    help: 'Tenant backups that failed in backup runs started in the last 24 hours',
    registers: [registry],
    collect() {
      this.set(backups.fleetSummary(Date.now()).failedLastDay);
    },
  });
  new client.Gauge({
    name: 'tenantry_tenants_without_backup',
    help: 'Active and suspended tenants with no successful backup',
    registers: [registry],
    collect() {
      this.set(backups.fleetSummary(Date.now()).withoutBackup);
    },
  });
  new client.Gauge({
    name: 'tenantry_backup_oldest_latest_age_seconds',
    help: "Age of the oldest of the active and suspended tenants' newest successful backups (0 when none has one)",
    registers: [registry],
    collect() {
      const now = Date.now();
      const { oldestLatestAt } = backups.fleetSummary(now);
      this.set(oldestLatestAt === null ? 0 : Math.max(0, (now - oldestLatestAt) / 1000));
    },
  });

  // The series of each method, route and status, found once (prom-client hashes the labels on every observe otherwise).
  const series = new Map<string, ReturnType<typeof durations.labels>>();
  return {
    registry,
    observeRequest(req, res, seconds) {
      const route = routePattern(req);
      const key = `${req.method} ${res.statusCode} ${route}`;
      let child = series.get(key);
      if (!child) {
        child = durations.labels({ method: req.method, route, status: String(res.statusCode) });
        series.set(key, child);
      }
      child.observe(seconds);
    },
  };
}
