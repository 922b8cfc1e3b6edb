import fs from 'node:fs';
import path from 'node:path';
import type { ControlPlane } from '../control-plane';
import { ConflictError, NotFoundError } from '../../core/errors/app-errors';
import { failureReason } from '../../core/errors/disk-full';
import { printable } from '../../core/cli/cli-io';
import { JobWorker } from '../../core/workers/job-worker';
import { tenantPaths } from '../../tenant-runtime/tenant-paths';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { backupDir, timeOfBackupId } from './backup-location';
import type { BackupKind, BackupManifest } from './backup-manifest';
import { BackupStateRepository, type BackupTrigger } from './backup-state';
import { backupTenant, type BackupJob } from './backup-tenant';
import { pruneBackups, sweepBackupLeftovers } from './prune-backups';
import { tenantFingerprint } from './tenant-fingerprint';
import type { Operator } from '../lifecycle/operator';
import { auditedOperator } from '../audit/operator';
import { BACKED_UP, holdForBackup, holdNamedForBackup } from './backup-hold';

export interface BackupOutcome {
  tenantId: string;
  slug: string;
  /** `skipped`: a damaged tenant, or one another operation held, not copied (its reason in `error`). */
  outcome: 'backed_up' | 'unchanged' | 'failed' | 'skipped';
  /** Why a tenant was skipped: its file is damaged, or another operation held it (the next run takes it). */
  skippedAs?: 'damaged' | 'held';
  backupId?: string;
  bytes?: number;
  seconds?: number;
  /** Older backups removed by retention (with `prune`). */
  removed?: string[];
  /** Why the backup failed or was skipped. */
  error?: string;
  /** Backed up, but removing older backups by retention then failed: why (the new backup is kept). */
  pruneError?: string;
}

export interface BackupFleetOptions {
  /** These tenants; none: every active and suspended tenant (and every damaged one, reported as skipped). */
  slugs?: string[];
  /** Tenants backed up at the same time, each on a worker thread of its own above 1. */
  concurrency?: number;
  /** Skip tenants whose files did not change since their last backup. */
  onlyChanged?: boolean;
  /** Apply the retention policy to each tenant backed up. */
  prune?: boolean;
  kind?: Extract<BackupKind, 'manual' | 'scheduled'>;
  trigger: BackupTrigger;
  /**
   * Who asked for the run (a super admin at the console, or the CLI): each backup it takes is
   * recorded in the audit trail under their name, in the tenant's trail too. A scheduled run
   * names none and records none (the backup runs keep it).
   */
  operator?: Operator;
  /** Even one lane on a worker thread: the server keeps its event loop for requests. */
  useWorkers?: boolean;
  onProgress?: (done: number, total: number, outcome: BackupOutcome) => void;
  /**
   * Once aborted (the server stopping), no further tenant is started: the backups under way end
   * as they would, the run is recorded as interrupted, and the tenants left keep their changes
   * for the next run.
   */
  signal?: AbortSignal;
}

export interface BackupFleetResult {
  runId: number;
  outcomes: BackupOutcome[];
  backedUp: number;
  unchanged: number;
  failed: BackupOutcome[];
  /** Tenants a run over the fleet did not back up (damaged, or held by another operation), each with its reason. */
  skipped: BackupOutcome[];
  /** Tenants backed up (and counted in backedUp) whose older backups could not then be removed. */
  pruneFailed: BackupOutcome[];
  bytes: number;
  seconds: number;
}

interface Lane {
  run(job: BackupJob): Promise<BackupManifest>;
  close(): Promise<void>;
}

const WORKER_ENTRY = path.join(__dirname, 'backup-worker-entry.js');

/**
 * Backs up tenants, online: each copy is taken while the tenant keeps serving. A failing tenant
 * is recorded and the run goes on. A damaged tenant (its file found broken) is not copied, but is
 * never left out in silence: a run over the fleet reports it as skipped, with its reason, records
 * that as its last backup error (the fleet page and fleet-status show it) and counts it among the
 * run's failures. Each copy holds the tenant's operation lock (backup-hold.ts): a tenant another
 * operation holds is skipped the same way by a run over the fleet (the next run takes it) and
 * refused with a 409 when named. The control plane keeps each tenant's last backup and the
 * fingerprint of its files then, so a scheduled run visits only the tenants that changed.
 */
export async function backupFleet(platform: ControlPlane, options: BackupFleetOptions): Promise<BackupFleetResult> {
  const tenants = selectTenants(platform, options.slugs);
  const named = Boolean(options.slugs?.length);
  const release = named ? claimNamedBackups(tenants) : () => {};
  try {
    const releaseLocks = named ? holdNamedForBackup(platform, tenants) : () => {};
    try {
      return await runBackups(platform, options, tenants);
    } finally {
      releaseLocks();
    }
  } finally {
    release();
  }
}

/** Tenants this process is backing up because they were named (the console's Back up now, the admin API's, the CLI's). */
const backingUpHere = new Set<string>();

/**
 * A backup of a tenant asked for while one asked for before is still being taken here (a double
 * click, two identical requests at once) is refused with a 409 before anything is written: one
 * backup is taken, not two side by side.
 */
function claimNamedBackups(tenants: TenantRecord[]): () => void {
  const busy = tenants.find((tenant) => backingUpHere.has(tenant.id));
  if (busy) throw new ConflictError(`A backup of ${busy.slug} is being taken right now. It is listed once it is complete.`, { tenantId: busy.id });
  for (const tenant of tenants) backingUpHere.add(tenant.id);
  return () => tenants.forEach((tenant) => backingUpHere.delete(tenant.id));
}

async function runBackups(platform: ControlPlane, options: BackupFleetOptions, tenants: TenantRecord[]): Promise<BackupFleetResult> {
  const started = performance.now();
  const state = new BackupStateRepository(platform.db);
  const damaged = options.slugs?.length ? [] : platform.tenants.listByStatus(['damaged']);
  const skippedDamaged = damaged.map((tenant) =>
    skip(platform, state, tenant, 'damaged', `damaged, not backed up: ${tenant.failure_reason ?? 'no reason recorded'}`),
  );
  const runId = state.startRun(options.trigger, tenants.length + skippedDamaged.length);
  const { dataDir, backupDir: backupRoot } = platform.config;
  const laneCount = Math.max(1, Math.min(options.concurrency ?? 1, tenants.length));
  const lanes: Lane[] =
    options.useWorkers || laneCount > 1
      ? Array.from({ length: laneCount }, () => new JobWorker<BackupJob, BackupManifest>(WORKER_ENTRY))
      : [{ run: async (job) => backupTenant(job), close: async () => {} }];
  const outcomes: BackupOutcome[] = [];
  let next = 0;

  /** A backup an operator asked for, and the older ones its retention removed, named in the audit trail. */
  const audit = (outcome: BackupOutcome): void => {
    if (!options.operator || outcome.outcome !== 'backed_up') return;
    platform.audit.record({
      ...auditedOperator(options.operator),
      tenantId: outcome.tenantId,
      action: 'tenant.backup',
      targetType: 'tenant',
      targetId: outcome.tenantId,
      after: {
        backup_id: outcome.backupId,
        bytes: outcome.bytes,
        trigger: options.trigger,
        ...(options.prune ? { removed: outcome.removed, prune_error: outcome.pruneError ?? null } : {}),
      },
    });
  };

  /** With onlyChanged, whether the tenant's files are as at its last backup, which is still there (a failure to tell: no). */
  const unchangedSinceLast = (tenant: TenantRecord): boolean => {
    if (!options.onlyChanged) return false;
    try {
      const last = state.find(tenant.id);
      return (
        !!last?.last_backup_id &&
        last.last_fingerprint === tenantFingerprint(tenantPaths(dataDir, tenant.id).dir) &&
        fs.existsSync(backupDir(backupRoot, tenant.id, last.last_backup_id))
      );
    } catch {
      return false;
    }
  };

  // An unchanged tenant is not held: a scheduled pass over unchanged ones stays a few stat calls each.
  const backUp = async (tenant: TenantRecord, lane: Lane): Promise<BackupOutcome> => {
    if (options.slugs?.length || unchangedSinceLast(tenant)) return copy(tenant, lane); // backupFleet holds the named tenants
    const held = holdForBackup(platform, tenant);
    if ('refusal' in held) return skip(platform, state, tenant, 'held', held.refusal);
    try {
      return await copy(tenant, lane);
    } finally {
      held.lock.release({ remove: true });
    }
  };

  const copy = async (tenant: TenantRecord, lane: Lane): Promise<BackupOutcome> => {
    const base = { tenantId: tenant.id, slug: tenant.slug };
    const t0 = performance.now();
    try {
      sweepBackupLeftovers(backupRoot, tenant.id);
      if (unchangedSinceLast(tenant)) return { ...base, outcome: 'unchanged' };
      const manifest = await lane.run({ dataDir, backupRoot, tenant: { id: tenant.id, slug: tenant.slug, name: tenant.name }, kind: options.kind ?? 'manual' });
      state.succeeded(tenant.id, {
        id: manifest.backup_id,
        at: timeOfBackupId(manifest.backup_id),
        bytes: manifest.total_bytes,
        fingerprint: manifest.fingerprint,
      });
      const backedUp = { ...base, outcome: 'backed_up' as const, backupId: manifest.backup_id, bytes: manifest.total_bytes };
      if (!options.prune) return { ...backedUp, seconds: (performance.now() - t0) / 1000, removed: [] };
      // The backup is taken and recorded: a retention that fails now leaves it kept, and is reported on its own.
      try {
        const removed = pruneBackups(platform.config, tenant.id);
        return { ...backedUp, seconds: (performance.now() - t0) / 1000, removed };
      } catch (error) {
        const message = failureReason(error, backupRoot);
        state.pruneFailed(tenant.id, message);
        platform.logger.warn({ tenantId: tenant.id, backupId: manifest.backup_id, err: message }, 'tenant backed up, but pruning its older backups failed');
        return { ...backedUp, seconds: (performance.now() - t0) / 1000, removed: [], pruneError: message };
      }
    } catch (error) {
      const message = failureReason(error, backupRoot);
      state.failed(tenant.id, message);
      platform.logger.warn({ tenantId: tenant.id, err: message }, 'tenant backup failed');
      return { ...base, outcome: 'failed', error: message };
    }
  };

  const runLane = async (lane: Lane) => {
    while (next < tenants.length && !options.signal?.aborted) {
      const tenant = tenants[next++];
      const outcome = await backUp(tenant, lane);
      outcomes.push(outcome);
      audit(outcome);
      options.onProgress?.(outcomes.length, tenants.length, outcome);
    }
  };
  try {
    await Promise.all(lanes.map(runLane));
  } finally {
    await Promise.all(lanes.map((lane) => lane.close()));
  }

  const failed = outcomes.filter((o) => o.outcome === 'failed');
  const backedUp = outcomes.filter((o) => o.outcome === 'backed_up');
  const bytes = backedUp.reduce((sum, o) => sum + (o.bytes ?? 0), 0);
  const pruneFailed = backedUp.filter((o) => o.pruneError !== undefined);
  const skipped = [...outcomes.filter((o) => o.outcome === 'skipped'), ...skippedDamaged];
  const unchanged = outcomes.filter((o) => o.outcome === 'unchanged').length;
  state.finishRun(runId, {
    backedUp: backedUp.length,
    unchanged,
    failed: failed.length + skipped.length,
    bytes,
    stopped: outcomes.length < tenants.length,
    pruneFailed: pruneFailed.length,
  });
  return {
    runId,
    outcomes: [...outcomes, ...skippedDamaged],
    backedUp: backedUp.length,
    unchanged,
    failed,
    skipped,
    pruneFailed,
    bytes,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * A tenant not copied, its last backup attempt recording why: a damaged one (its file is what is
 * wrong), or one another operation held (the next run takes it).
 */
function skip(platform: ControlPlane, state: BackupStateRepository, tenant: TenantRecord, skippedAs: 'damaged' | 'held', error: string): BackupOutcome {
  state.failed(tenant.id, error);
  platform.logger.warn({ tenantId: tenant.id, err: error }, 'tenant backup skipped');
  return { tenantId: tenant.id, slug: tenant.slug, outcome: 'skipped', skippedAs, error };
}

function selectTenants(platform: ControlPlane, slugs?: string[]): TenantRecord[] {
  if (!slugs?.length) return platform.tenants.listByStatus([...BACKED_UP]);
  return [...new Set(slugs)].map((slug) => {
    const tenant = platform.tenants.findBySlug(slug);
    if (!tenant) throw new NotFoundError(`No tenant with slug "${printable(slug)}".`);
    // In maintenance, a restore is replacing its data: a backup can be taken once that ends.
    if (tenant.status === 'maintenance')
      throw new ConflictError(`Tenant ${tenant.slug} is in maintenance: a restore of it is running. Back it up once the restore has ended.`);
    if (!(BACKED_UP as readonly string[]).includes(tenant.status))
      throw new ConflictError(`Tenant ${tenant.slug} is ${statusWords(tenant.status)}; only active and suspended tenants are backed up.`);
    return tenant;
  });
}
