import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ControlPlane } from '../control-plane';
import { NotFoundError, ValidationError } from '../../core/errors/app-errors';
import { echoed } from '../../core/cli/cli-io';
import { isProcessAlive } from '../../core/ops/process-alive';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import { snapshotDatabase } from '../../tenant-runtime/tenant-snapshot';
import type { TenantRecord } from '../tenants/tenant-record';
import type { TenantOutcome } from './fleet-outcome';
import { defaultLanes, inProcessMigrator, migrateOne, WorkerMigrator, type TenantMigrator } from './migration-lanes';

export interface RehearsalOptions {
  /** Rehearse on this many tenants picked at random; default every tenant behind. */
  sample?: number;
  /** One tenant only (rehearsed even if its recorded version is current). */
  tenantSlug?: string;
  concurrency?: number;
  onProgress?: (done: number, total: number, outcome: TenantOutcome) => void;
}

export interface RehearsalResult {
  latest: string | null;
  outcomes: TenantOutcome[];
  failed: TenantOutcome[];
  rehearsed: number;
  seconds: number;
}

/**
 * Runs the pending migrations on snapshots of the tenants, in a temporary folder, and reports
 * for each whether they succeed and how long they take; touches nothing live (no tenant file,
 * no recorded version, no run record). Each snapshot is taken while the tenant serves and removed
 * as soon as its migration ends, so the folder holds one tenant per lane at a time.
 */
export async function rehearseFleet(platform: ControlPlane, options: RehearsalOptions = {}): Promise<RehearsalResult> {
  const started = performance.now();
  const source = platform.tenantSource;
  const tenants = pick(select(platform, options.tenantSlug), options.sample);
  const scratch = scratchFolder();
  const lanes = Math.max(1, Math.min(options.concurrency ?? defaultLanes(), tenants.length));
  const migrators: TenantMigrator[] =
    lanes <= 1 ? [inProcessMigrator(scratch, source)] : Array.from({ length: lanes }, () => new WorkerMigrator(scratch, source));
  const outcomes: TenantOutcome[] = [];
  let next = 0;

  const rehearse = async (tenant: TenantRecord, migrator: TenantMigrator): Promise<TenantOutcome> => {
    const base = { tenantId: tenant.id, slug: tenant.slug, from: tenant.schema_version };
    const copy = tenantPaths(scratch, tenant.id);
    try {
      fs.mkdirSync(copy.dir, { recursive: true });
      snapshotDatabase(tenantPaths(platform.config.dataDir, tenant.id).database, copy.database);
      const t0 = performance.now();
      const result = await migrateOne(migrator, tenant.id);
      const ms = performance.now() - t0;
      return { ...base, outcome: result.applied.length ? 'rehearsed' : 'up_to_date', to: result.version, migrations: result.applied, ms };
    } catch (error) {
      return { ...base, outcome: 'failed', to: tenant.schema_version, migrations: [], error: error instanceof Error ? error.message : String(error) };
    } finally {
      fs.rmSync(copy.dir, { recursive: true, force: true });
    }
  };

  // Interrupted (Ctrl-C, a CI timeout): the snapshots of tenants' data go before the process does.
  const onSignal = (signal: NodeJS.Signals) => {
    fs.rmSync(scratch, { recursive: true, force: true });
    process.kill(process.pid, signal);
  };
  for (const signal of SIGNALS) process.once(signal, onSignal);
  try {
    await Promise.all(
      migrators.map(async (migrator) => {
        while (next < tenants.length) {
          const outcome = await rehearse(tenants[next++], migrator);
          outcomes.push(outcome);
          options.onProgress?.(outcomes.length, tenants.length, outcome);
        }
      }),
    );
  } finally {
    await Promise.all(migrators.map((m) => m.close()));
    fs.rmSync(scratch, { recursive: true, force: true });
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
  const failed = outcomes.filter((o) => o.outcome === 'failed');
  return {
    latest: source.latest,
    outcomes,
    failed,
    rehearsed: outcomes.filter((o) => o.outcome === 'rehearsed').length,
    seconds: (performance.now() - started) / 1000,
  };
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
const SCRATCH_PREFIX = 'tenantry-rehearsal-';
const SCRATCH_NAME = /^tenantry-rehearsal-(\d+)-/;

/**
 * A temporary folder for this rehearsal's snapshots, named after its process. A rehearsal
 * killed outright (SIGKILL, a crash) cannot remove its own: the next one removes every folder
 * left by a process that is gone, so copies of tenants' data do not stay in the temporary folder.
 */
function scratchFolder(): string {
  const root = os.tmpdir();
  let names: string[] = [];
  try {
    names = fs.readdirSync(root);
  } catch {
    // An unreadable temporary folder still takes a new folder of ours; nothing can be swept.
  }
  for (const name of names) {
    const pid = Number(SCRATCH_NAME.exec(name)?.[1]);
    if (pid && pid !== process.pid && !isProcessAlive(pid)) fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
  return fs.mkdtempSync(path.join(root, `${SCRATCH_PREFIX}${process.pid}-`));
}

function select(platform: ControlPlane, slug?: string): TenantRecord[] {
  if (slug === '') throw ValidationError.single('tenant', 'must not be empty');
  if (slug !== undefined) {
    const tenant = platform.tenants.findBySlug(slug);
    if (!tenant || !['active', 'suspended'].includes(tenant.status)) throw new NotFoundError(`No active or suspended tenant with slug "${echoed(slug)}".`);
    return [tenant];
  }
  return platform.tenants.listByStatus(['active', 'suspended']).filter((t) => t.schema_version !== platform.tenantSource.latest);
}

function pick(tenants: TenantRecord[], sample?: number): TenantRecord[] {
  if (!sample || sample >= tenants.length) return tenants;
  const pool = [...tenants];
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, sample).sort((a, b) => a.slug.localeCompare(b.slug));
}
