import type { ControlPlane } from '../control-plane';
import { DiskUsageSamples } from '../lifecycle/disk-usage';
import { TENANT_STATUSES } from '../tenants/tenant-record';
import { UsageRollupStore } from '../usage/usage-rollup-store';
import { ALERT_THRESHOLDS } from '../usage/usage-alerts';
import { DeletionRequestRepository } from '../deletion-requests/deletion-request-repository';

const DAY = 24 * 3600_000;

interface FleetRunSummary {
  id: number;
  status: string;
  target_version: string | null;
  concurrency: number;
  started_at: number;
  finished_at: number | null;
  migrated: number;
  failed: number;
}

/** The platform at a glance: tenants by status, data on disk and its growth, the router, fleet runs, what needs attention (workspaces asking to be deleted among it). */
export function loadDashboardPage(platform: ControlPlane) {
  const counts = platform.tenants.countByStatus();
  const samples = new DiskUsageSamples(platform.db);
  const latest = samples.latest();
  const total = (s: typeof latest) => (s ? s.live_bytes + s.archive_bytes : 0);
  const growth = (days: number) => {
    const then = latest ? samples.atOrBefore(latest.taken_at - days * DAY) : undefined;
    return then ? { bytes: total(latest) - total(then), since: then.taken_at } : null;
  };
  const router = platform.router.stats();
  const lookups = router.hits + router.opens;
  const fleetRuns = platform.db.all<FleetRunSummary>(
    `select f.*, (select count(*) from fleet_run_tenants r where r.run_id = f.id and r.outcome = 'migrated') as migrated,
            (select count(*) from fleet_run_tenants r where r.run_id = f.id and r.outcome = 'failed') as failed
       from fleet_runs f order by f.id desc limit 10`,
  );
  return {
    title: 'Dashboard',
    statuses: TENANT_STATUSES.map((status) => ({ status, count: counts[status] ?? 0 })),
    tenantTotal: TENANT_STATUSES.filter((s) => s !== 'purged').reduce((sum, s) => sum + (counts[s] ?? 0), 0),
    disk: latest
      ? { live: latest.live_bytes, archive: latest.archive_bytes, total: total(latest), at: latest.taken_at, day: growth(1), week: growth(7) }
      : null,
    router: { ...router, hitRate: lookups ? router.hits / lookups : null, cap: platform.config.tenantCacheSize },
    fleetRuns,
    damaged: platform.tenants.listByStatus(['damaged']),
    failed: platform.tenants.listByStatus(['failed']),
    pending: platform.tenants.listPendingOperations(),
    /** Workspaces whose owners asked for them to be deleted, oldest request first (decision 056). */
    deletionRequests: new DeletionRequestRepository(platform.db).listPending(),
    /** From the usage roll-up: tenants at the first alert threshold or over, closest first. */
    nearLimit: new UsageRollupStore(platform.db).nearLimit(ALERT_THRESHOLDS[0], 20),
  };
}
