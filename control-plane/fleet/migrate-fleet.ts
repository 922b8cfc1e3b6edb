import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError, TenantDamagedError } from '../../core/errors/app-errors';
import { diagnoseTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { TenantRecord } from '../tenants/tenant-record';
import type { TenantOutcome } from './fleet-outcome';

export type { Outcome, TenantOutcome } from './fleet-outcome';
import { pendingForTenant } from './migrate-one-tenant';
import { FleetRunLog } from './fleet-run-log';
import { inProcessMigrator, WorkerMigrator, type TenantMigrator } from './migration-lanes';

export interface FleetOptions {
  /** Tenants migrated at the same time: above 1, each runs on a worker thread of its own. */
  concurrency?: number;
  /** One tenant only. */
  tenantSlug?: string;
  /** List what would run per tenant; change nothing. */
  dryRun?: boolean;
  /** Skip tenants whose recorded version is current without opening their files (the default, unless one tenant is named). */
  onlyBehind?: boolean;
  /**
   * Migrate this many tenants (picked at random among those behind) first, and stop the run
   * without touching the others if any of them fails.
   */
  canary?: number;
  onProgress?: (done: number, total: number, outcome: TenantOutcome) => void;
}

export interface FleetResult {
  runId: number | null;
  latest: string | null;
  outcomes: TenantOutcome[];
  failed: TenantOutcome[];
  migrated: number;
  upToDate: number;
  seconds: number;
  /** A canary failed: the tenants left were not attempted (outcome `skipped`). */
  stopped: boolean;
}

/**
 * Migrates every active and suspended tenant. Each tenant migrates in its own transaction;
 * a failure is recorded and the run goes on. Versions are recorded in the control plane, so
 * a pass with nothing to do compares versions instead of opening 10,000 files, and running
 * again resumes where a failed or interrupted run stopped.
 */
export async function migrateFleet(platform: ControlPlane, options: FleetOptions = {}): Promise<FleetResult> {
  const started = performance.now();
  const source = platform.tenantSource;
  const skipCurrent = options.onlyBehind ?? !options.tenantSlug;
  const tenants = canariesFirst(await selectTenants(platform, options.tenantSlug), options.canary, (t) => !skipCurrent || t.schema_version !== source.latest);
  const canaries = options.canary ? Math.min(options.canary, tenants.length) : 0;
  const toOpen = tenants.filter((t) => !skipCurrent || t.schema_version !== source.latest).length;
  const lanes = Math.max(1, Math.min(options.concurrency ?? 1, toOpen));
  const migrators = await startMigrators(platform, options.dryRun ? 1 : lanes);
  const log = options.dryRun ? undefined : FleetRunLog.start(platform.db, source.latest, options.concurrency ?? 1);
  const outcomes: TenantOutcome[] = [];
  let done = 0;

  const migrate = async (tenant: TenantRecord, migrator: TenantMigrator): Promise<TenantOutcome> => {
    const base = { tenantId: tenant.id, slug: tenant.slug, from: tenant.schema_version };
    // Naming one tenant always opens its file (skipCurrent is off), so a tenant missing a migration
    // older than its recorded version (added out of order) can be repaired though it looks current.
    if (skipCurrent && tenant.schema_version === source.latest) {
      return { ...base, outcome: 'up_to_date', to: tenant.schema_version, migrations: [] };
    }
    try {
      if (options.dryRun) {
        const pending = pendingForTenant(platform.config.dataDir, tenant.id, source);
        return { ...base, outcome: pending.length ? 'pending' : 'up_to_date', to: source.latest, migrations: pending };
      }
      // A handle this process holds is closed first; requests reopen it after the migration.
      platform.router.closeTenant(tenant.id);
      const result = await migrator.migrate(tenant.id);
      platform.tenants.setSchemaVersion(tenant.id, result.version);
      return { ...base, outcome: result.applied.length ? 'migrated' : 'up_to_date', to: result.version, migrations: result.applied };
    } catch (error) {
      // A damaged file is refused, never migrated; it is marked damaged (the worker's error carries only a message, so look).
      const damage = error instanceof TenantDamagedError ? error.reason : diagnoseTenantFile(platform.config.dataDir, tenant.id);
      if (damage && !options.dryRun) platform.health.reportDamaged(tenant.id, damage, 'the fleet migration');
      const message = damage ? `damaged, not migrated: ${damage}` : error instanceof Error ? error.message : String(error);
      return { ...base, outcome: 'failed', to: tenant.schema_version, migrations: [], error: message };
    }
  };

  const report = (outcome: TenantOutcome) => {
    outcomes.push(outcome);
    if (outcome.outcome !== 'up_to_date' && outcome.outcome !== 'skipped') log?.record(outcome);
    options.onProgress?.(++done, tenants.length, outcome);
  };
  const runPhase = async (phase: TenantRecord[]) => {
    let next = 0;
    const lane = async (migrator: TenantMigrator) => {
      while (next < phase.length) report(await migrate(phase[next++], migrator));
    };
    await Promise.all(migrators.map(lane));
  };
  let stopped = false;
  try {
    // Canaries first (on the same lanes); any failure among them stops the run there.
    await runPhase(tenants.slice(0, canaries));
    stopped = canaries > 0 && outcomes.some((o) => o.outcome === 'failed');
    if (stopped) {
      for (const tenant of tenants.slice(canaries)) {
        report({ tenantId: tenant.id, slug: tenant.slug, from: tenant.schema_version, to: tenant.schema_version, outcome: 'skipped', migrations: [] });
      }
    } else await runPhase(tenants.slice(canaries));
  } finally {
    await Promise.all(migrators.map((m) => m.close()));
  }

  const failed = outcomes.filter((o) => o.outcome === 'failed');
  log?.finish(failed.length === 0);
  if (!options.dryRun) platform.changes.tenantChanged();
  return {
    runId: log?.runId ?? null,
    latest: source.latest,
    outcomes,
    failed,
    migrated: outcomes.filter((o) => o.outcome === 'migrated').length,
    upToDate: outcomes.filter((o) => o.outcome === 'up_to_date').length,
    seconds: (performance.now() - started) / 1000,
    stopped,
  };
}

/** The tenants with `count` of those `eligible` (picked at random) moved to the front, as canaries. */
function canariesFirst(tenants: TenantRecord[], count: number | undefined, eligible: (t: TenantRecord) => boolean): TenantRecord[] {
  if (!count) return tenants;
  const pool = tenants.filter(eligible);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  const picked = new Set(pool.slice(0, count));
  return [...picked, ...tenants.filter((t) => !picked.has(t))];
}

/** One migrator per lane: in this thread for one lane, worker threads (started up front) for more. */
async function startMigrators(platform: ControlPlane, lanes: number): Promise<TenantMigrator[]> {
  const { dataDir } = platform.config;
  if (lanes <= 1) return [inProcessMigrator(dataDir, platform.tenantSource)];
  const workers = Array.from({ length: lanes }, () => new WorkerMigrator(dataDir, platform.tenantSource));
  try {
    await Promise.all(workers.map((w) => w.start()));
    return workers;
  } catch (error) {
    await Promise.all(workers.map((w) => w.close()));
    throw error;
  }
}

async function selectTenants(platform: ControlPlane, slug?: string): Promise<TenantRecord[]> {
  if (!slug) return platform.tenants.listByStatus(['active', 'suspended']);
  const tenant = platform.tenants.findBySlug(slug);
  if (tenant?.status === 'damaged')
    throw new ConflictError(`Tenant ${slug} is damaged (${tenant.failure_reason ?? 'no reason recorded'}); it is not migrated. Run "tenantry doctor".`);
  if (!tenant || !['active', 'suspended'].includes(tenant.status)) throw new NotFoundError(`No active or suspended tenant with slug "${slug}".`);
  return [tenant];
}
