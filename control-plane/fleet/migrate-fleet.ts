import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { TenantDamagedError } from '../../core/errors/tenant-unavailable-errors';
import { echoed } from '../../core/cli/cli-io';
import { diagnoseTenantFile } from '../../tenant-runtime/open-tenant-file';
import type { TenantRecord } from '../tenants/tenant-record';
import type { TenantOutcome } from './fleet-outcome';

export type { Outcome, TenantOutcome } from './fleet-outcome';
import { FLUSH_BATCH, pendingForTenant, type BatchEntry } from './migrate-one-tenant';
import { FleetRunLog } from './fleet-run-log';
import { defaultLanes, inProcessMigrator, WorkerMigrator, type TenantMigrator } from './migration-lanes';
import { recordMigratedVersion } from './record-migrated-version';
import type { Operator } from '../lifecycle/operator';

export interface FleetOptions {
  /** Tenants migrated at the same time (default: one per core, at most 16): above 1, each runs on a worker thread of its own. */
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
  /**
   * Who runs it, as each migrated workspace's audit trail names them: the operator at the console
   * (`tenantry tenants migrate`); absent, the system (the server's start-up).
   */
  operator?: Operator;
}

export interface FleetResult {
  runId: number | null;
  latest: string | null;
  outcomes: TenantOutcome[];
  failed: TenantOutcome[];
  migrated: number;
  upToDate: number;
  seconds: number;
  /** Of `seconds`, the time spent starting worker threads before the first tenant (0 on one lane). */
  startupSeconds: number;
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
  const concurrency = options.concurrency ?? defaultLanes();
  const lanes = Math.max(1, Math.min(concurrency, toOpen));
  const startup = performance.now();
  const migrators = await startMigrators(platform, options.dryRun ? 1 : lanes);
  const startupSeconds = (performance.now() - startup) / 1000;
  const log = options.dryRun ? undefined : FleetRunLog.start(platform.db, source.latest, concurrency);
  const outcomes: TenantOutcome[] = [];
  let done = 0;

  const failure = (tenant: TenantRecord, error: unknown): TenantOutcome => {
    // A damaged file is refused, never migrated; it is marked damaged (the worker's error carries only a message, so look).
    const damage = error instanceof TenantDamagedError ? error.reason : diagnoseTenantFile(platform.config.dataDir, tenant.id);
    if (damage && !options.dryRun) platform.health.reportDamaged(tenant.id, damage, 'the fleet migration');
    const message = damage ? `damaged, not migrated: ${damage}` : error instanceof Error ? error.message : String(error);
    return {
      tenantId: tenant.id,
      slug: tenant.slug,
      from: tenant.schema_version,
      outcome: 'failed',
      to: tenant.schema_version,
      migrations: [],
      error: message,
    };
  };

  /** What one tenant needs without a migrator: nothing (current), or a dry run's list. */
  const withoutMigrator = (tenant: TenantRecord): TenantOutcome | undefined => {
    const base = { tenantId: tenant.id, slug: tenant.slug, from: tenant.schema_version };
    // Naming one tenant always opens its file (skipCurrent is off), so a tenant missing a migration
    // older than its recorded version (added out of order) can be repaired though it looks current.
    if (skipCurrent && tenant.schema_version === source.latest) {
      return { ...base, outcome: 'up_to_date', to: tenant.schema_version, migrations: [] };
    }
    if (!options.dryRun) return undefined;
    try {
      const pending = pendingForTenant(platform.config.dataDir, tenant.id, source);
      return { ...base, outcome: pending.length ? 'pending' : 'up_to_date', to: source.latest, migrations: pending };
    } catch (error) {
      return failure(tenant, error);
    }
  };

  /** A batch of tenants on one lane; each version is recorded once the lane says its migration is durable. */
  const migrateBatch = async (batch: TenantRecord[], migrator: TenantMigrator): Promise<void> => {
    // A handle this process holds is closed first; requests reopen it after the migration.
    for (const tenant of batch) platform.router.closeTenant(tenant.id);
    let entries: BatchEntry[];
    try {
      entries = await migrator.migrate(batch.map((t) => t.id));
    } catch (error) {
      for (const tenant of batch) report(failure(tenant, error));
      return;
    }
    for (const [i, tenant] of batch.entries()) {
      const entry = entries[i];
      if (!entry.ok) {
        report(failure(tenant, entry.error));
        continue;
      }
      const { result } = entry;
      recordMigratedVersion(platform, tenant.id, result, options.operator);
      const base = { tenantId: tenant.id, slug: tenant.slug, from: tenant.schema_version };
      report({ ...base, outcome: result.applied.length ? 'migrated' : 'up_to_date', to: result.version, migrations: result.applied });
    }
  };

  const report = (outcome: TenantOutcome) => {
    outcomes.push(outcome);
    if (outcome.outcome !== 'up_to_date' && outcome.outcome !== 'skipped') log?.record(outcome);
    options.onProgress?.(++done, tenants.length, outcome);
  };
  const runPhase = async (phase: TenantRecord[]) => {
    let next = 0;
    // Batches no larger than an even share, so a small phase still spreads over every lane.
    const batchSize = Math.max(1, Math.min(FLUSH_BATCH, Math.ceil(phase.length / migrators.length)));
    const lane = async (migrator: TenantMigrator) => {
      while (next < phase.length) {
        const batch: TenantRecord[] = [];
        while (next < phase.length && batch.length < batchSize) {
          const tenant = phase[next++];
          const outcome = withoutMigrator(tenant);
          if (outcome) report(outcome);
          else batch.push(tenant);
        }
        if (batch.length > 0) await migrateBatch(batch, migrator);
      }
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
    startupSeconds,
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
  if (slug === undefined) return platform.tenants.listByStatus(['active', 'suspended']);
  // An empty value (a script's unset variable) names no tenant: it never widens to the fleet.
  if (slug === '') throw ValidationError.single('tenant', 'must not be empty');
  const tenant = platform.tenants.findBySlug(slug);
  if (tenant?.status === 'damaged')
    throw new ConflictError(`Tenant ${slug} is damaged (${tenant.failure_reason ?? 'no reason recorded'}); it is not migrated. Run "tenantry doctor".`);
  if (!tenant || !['active', 'suspended'].includes(tenant.status)) throw new NotFoundError(`No active or suspended tenant with slug "${echoed(slug)}".`);
  return [tenant];
}
