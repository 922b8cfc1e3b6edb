import fs from 'node:fs';
import path from 'node:path';
import type { ControlPlane } from '../control-plane';
import { ConflictError, DiskFullError, NotFoundError, OperationFailedError } from '../../core/errors/app-errors';
import { isDiskFull } from '../../core/errors/disk-full';
import { fsyncDir } from '../../core/fs/durable-files';
import { pausePoint } from '../../core/process/pause-point';
import { echoed } from '../../core/cli/cli-io';
import { formatBytes } from '../../core/text/format-bytes';
import { diskSpace } from '../../core/fs/disk-space';
import { tenantDiskUsage } from '../tenants/tenant-disk-usage';
import { tenantPaths, tenantsRoot } from '../../tenant-runtime/tenant-paths';
import { migrateOneTenant } from '../fleet/migrate-one-tenant';
import type { TenantRecord } from '../tenants/tenant-record';
import { statusWords } from '../tenants/tenant-record';
import { statusesAllowing } from '../lifecycle/tenant-transitions';
import { BackupStateRepository } from './backup-state';
import { listBackups } from './list-backups';
import { readJson, restoreWorkDir, writeJsonAtomically } from './operation-workspace';
import {
  bringBackRestored,
  finishRestore,
  keepReplacedState,
  markRestoreRunning,
  recoverInterruptedRestores,
  restoreRunning,
  rollBackRestore,
  type RestoreJournal,
} from './restore-recovery';
import { takeOffline, waitUntilUnused, type OperatorClient } from './take-offline';
import { verifyBackup } from './verify-backup';
import { backupDir } from './backup-location';
import { carryUsage, readUsageToCarry } from './carry-usage';
import { noteScheduleOfFile } from '../schedule/note-copied-schedule';
import { restoreJustDone, type RestoreDone } from './repeated-restore';
import { dropWaitingMails } from './restored-mails';
import { copiesOfTenantFile } from '../tenants/settings-copies';
import { stageBackup } from './stage-backup';
import { holdForRestore } from './backup-hold';

/** Statuses a backup may be restored over: those the transition table takes offline (live ones, and a damaged one). */
const RESTORABLE = statusesAllowing('take-offline');

export interface RestoreOptions {
  slug: string;
  /** The backup to restore; default the newest verified one that is not a pre-restore backup. */
  backupId?: string;
  actorUserId: string | null;
  /** The request's client and API token (the admin API's), named by every record of the restore. */
  client?: OperatorClient;
  /** How long to wait for open handles (this and other processes) to close. */
  drainTimeoutMs?: number;
  /**
   * Sent from the console's form: the same restore sent again moments after by the same super
   * admin (a double click) is answered with the first one's outcome (repeated-restore.ts), not run again.
   */
  atForm?: boolean;
}

export interface RestoreResult {
  tenant: TenantRecord;
  backupId: string;
  /** The backup of the state the restore replaced (null if it could not be kept; the reason is logged). */
  preRestoreBackupId: string | null;
  /** Migrations applied because the backup was behind the code. */
  migrated: string[];
  /** How long members got 503s. */
  offlineMs: number;
  /** Usage counters of this month (and of the charts' days) carried from the replaced database (carry-usage.ts). */
  usageCarried: number;
  /** Why none were carried (the replaced database could not be read for them), or null. */
  usageNotCarried: string | null;
  /** Set when this was the restore just sent again: nothing was done, the rest says what the first one did. */
  repeated?: boolean;
}

/**
 * Puts a tenant back as a backup holds it. The backup is verified (verify-backup.ts: checksums, schema, integrity)
 * and staged beside the live folder while the tenant still serves; then the tenant goes offline
 * (maintenance: members get a 503 with Retry-After), every open handle of every process is
 * drained, the folders are swapped by rename, migrations run if the backup is behind, this
 * month's usage counters of the replaced database are carried into the restored one (each the
 * larger of the two, so a restore never gives back a used allowance: carry-usage.ts), and the
 * tenant comes back. The state it replaced is kept as a `pre-restore` backup. Each step is
 * recorded in a journal: a restore cut off at any instant is rolled back (or, once committed,
 * finished) by the next restore, backup command or server start. No other tenant is touched.
 */
export async function restoreTenant(platform: ControlPlane, options: RestoreOptions): Promise<RestoreResult> {
  const { dataDir, backupDir: backupRoot } = platform.config;
  recoverInterruptedRestores(platform);
  const tenant = platform.tenants.findBySlug(options.slug);
  if (!tenant) throw new NotFoundError(`No tenant with slug "${echoed(options.slug)}".`);
  const repeated = () => (options.atForm && options.backupId ? restoreJustDone(platform, tenant.id, options.backupId, options.actorUserId) : undefined);
  const before = await repeated();
  if (before) return repeatedResult(platform, tenant.id, before);
  const backupId = backupToRestore(platform, tenant, options.backupId);
  const backup = await verifyBackup(backupRoot, tenant.id, backupId, platform.tenantSource);
  refuseWithoutRoomForReplacedState(platform, tenant);

  const work = restoreWorkDir(dataDir, tenant.id);
  fs.mkdirSync(path.dirname(work), { recursive: true });
  try {
    claimWorkDir(platform, tenant, work);
  } catch (error) {
    // The first of the two claimed the tenant's restore folder between the look above and this one.
    const first = error instanceof ConflictError ? await repeated() : undefined;
    if (!first) throw error;
    return repeatedResult(platform, tenant.id, first);
  }
  const release = holdForRestore(platform, tenant, work);
  const done = markRestoreRunning(tenant.id);
  try {
    return await restoreInto(platform, options, tenant, backup, backupId, work);
  } finally {
    done();
    release();
  }
}

/**
 * The backup a restore of `tenant` puts back (the one named, else the default below), checked as
 * far as can be without reading it: the tenant can be restored from a backup and the backup is
 * there. Throws what the restore would refuse with; changes nothing. The CLI names it when it
 * asks for --yes.
 */
export function backupToRestore(platform: ControlPlane, tenant: TenantRecord, named?: string): string {
  if (!RESTORABLE.includes(tenant.status))
    throw new ConflictError(`Tenant ${tenant.slug} is ${statusWords(tenant.status)}; only ${RESTORABLE.join(', ')} tenants can be restored from a backup.`);
  if (named !== undefined) {
    if (!fs.existsSync(backupDir(platform.config.backupDir, tenant.id, named))) throw new NotFoundError(`No backup ${named} for this tenant.`);
    return named;
  }
  // Unnamed, the newest backup taken as one: a pre-restore backup is the state the last restore
  // replaced, and restoring it by default would undo that restore (named with --from, it restores).
  // One dated after now was taken while the clock was ahead: every backup taken since is newer.
  const verified = listBackups(platform, tenant.id).filter((b) => b.verified);
  const candidates = verified.filter((b) => b.kind !== 'pre-restore');
  const now = Date.now();
  const backupId = (candidates.find((b) => b.takenAt <= now) ?? candidates[0])?.id;
  if (!backupId)
    throw new NotFoundError(
      verified.length
        ? `Tenant ${tenant.slug} has only pre-restore backups: name the one to restore with --from (see: tenantry tenants backups ${tenant.slug}).`
        : `Tenant ${tenant.slug} has no verified backup to restore.`,
    );
  return backupId;
}

function repeatedResult(platform: ControlPlane, tenantId: string, done: RestoreDone): RestoreResult {
  const tenant = platform.tenants.findById(tenantId) as TenantRecord;
  return { tenant, ...done, migrated: [], offlineMs: 0, usageCarried: 0, usageNotCarried: null, repeated: true };
}

/**
 * The state a restore replaces is kept as a pre-restore backup in BACKUP_DIR: a restore is
 * refused before anything changes when BACKUP_DIR has less free space than that state takes,
 * rather than replacing the tenant with no backup of what it was (a disk that fills up during
 * the restore still leaves the replaced state in the restore folder, as finishRestore says).
 */
function refuseWithoutRoomForReplacedState(platform: ControlPlane, tenant: TenantRecord): void {
  const needed = tenantDiskUsage(platform.config.dataDir, tenant.id);
  const space = diskSpace(platform.config.backupDir, 0);
  if (!space || space.freeBytes >= needed) return;
  throw new DiskFullError(
    `Restoring ${tenant.slug} was refused: the disk of BACKUP_DIR is full (${formatBytes(space.freeBytes)} free), and the state the restore replaces ` +
      `(${formatBytes(needed)}) is kept there as a backup. Free some space, then try again. Nothing was changed.`,
  );
}

/**
 * Makes the tenant's restore folder, one restore per tenant at a time. Taken, it is a restore
 * running (here or in another process), or the state the last restore replaced, which could not
 * be kept as a backup yet: kept now, or the restore is refused with the reason (a full disk),
 * since a second restore would have nowhere to put the state it replaces.
 */
function claimWorkDir(platform: ControlPlane, tenant: TenantRecord, work: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.mkdirSync(work);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const journal = readJson<RestoreJournal>(path.join(work, 'journal.json'));
    if (attempt > 0 || !journal || journal.phase !== 'committed' || restoreRunning(journal))
      throw new ConflictError(`A restore of ${tenant.slug} is already running.`);
    try {
      keepReplacedState(platform, journal, work);
    } catch (error) {
      const kept = `It waits in DATA_DIR/tenants/.restoring/${tenant.id}/previous/ until it can be.`;
      if (isDiskFull(error, platform.config.backupDir))
        throw new DiskFullError(
          `The state the last restore of ${tenant.slug} replaced cannot be kept as a backup: the disk is full. Free some space in BACKUP_DIR, then restore again. ${kept}`,
          {},
          { cause: error },
        );
      throw new OperationFailedError(`The state the last restore of ${tenant.slug} replaced cannot be kept as a backup. ${kept}`, {}, { cause: error });
    }
  }
}

async function restoreInto(
  platform: ControlPlane,
  options: RestoreOptions,
  tenant: TenantRecord,
  backup: Awaited<ReturnType<typeof verifyBackup>>,
  backupId: string,
  work: string,
): Promise<RestoreResult> {
  const { dataDir } = platform.config;
  const journal: RestoreJournal = {
    pid: process.pid,
    tenantId: tenant.id,
    slug: tenant.slug,
    backupId,
    previousStatus: tenant.status,
    phase: 'staging',
    actorUserId: options.actorUserId,
    ...(options.client ? { client: options.client } : {}),
    startedAt: Date.now(),
  };
  const record = (phase: RestoreJournal['phase']) => writeJsonAtomically(path.join(work, 'journal.json'), { ...journal, phase: (journal.phase = phase) });
  record('staging');

  let offlineAt = 0;
  let migrated: string[] = [];
  let usageCarried = 0;
  let usageNotCarried: string | null = null;
  try {
    stageBackup(backup.dir, backup.manifest.files, path.join(work, 'new'));
    pausePoint('restore:staged');

    record('offline');
    takeOffline(platform, tenant.id, {
      actorUserId: options.actorUserId,
      ...options.client,
      reason: `restoring backup ${backupId}`,
      auditAction: 'tenant.restore.started',
      auditDetails: { backup_id: backupId },
    });
    offlineAt = performance.now();
    pausePoint('restore:offline');
    platform.router.closeTenant(tenant.id);
    const live = tenantPaths(dataDir, tenant.id);
    await waitUntilUnused(live.database, options.drainTimeoutMs ?? 30_000);
    // Read once nothing can count any more, written after the migrations (a backup taken before
    // the counters existed has none to write into): a cut-off before the commit puts this file back.
    const usage = readUsageToCarry(live.database, tenant.id);
    usageNotCarried = usage.problem;
    pausePoint('restore:drained');

    record('swapping');
    if (fs.existsSync(live.dir)) fs.renameSync(live.dir, path.join(work, 'previous'));
    pausePoint('restore:live-moved');
    fs.renameSync(path.join(work, 'new'), live.dir);
    fsyncDir(tenantsRoot(dataDir));
    pausePoint('restore:swapped');

    const result = await migrateOneTenant(dataDir, tenant.id, platform.tenantSource);
    migrated = result.applied;
    if (result.version !== platform.tenantSource.latest)
      throw new OperationFailedError(`The restored database is at ${result.version}, not ${platform.tenantSource.latest}.`);
    usageCarried = carryUsage(live.database, usage.counters);
    pausePoint('restore:usage-carried');
    // The backup's waiting workflow mails went out (or were given up) after it was taken: not sent twice.
    const mails = dropWaitingMails(live.database);
    // The ended mails it holds are deleted 30 days after they ended: a visit once it is back deletes
    // those past it and leaves the hint at the next (the hint the replaced data had knows none of them).
    if (mails.ended) platform.mailHints.notePrune(tenant.id, Date.now());
    // Items the backup holds as scheduled go out at their time (at once when it has passed), not never.
    noteScheduleOfFile(platform.scheduleHints, tenant.id, live.database);

    // What the tenant's return records, in the journal first: a start that finishes a restore cut off here records the same.
    journal.committed = {
      // The backup's data was at the version it was taken at: its migration since is recorded as the fleet's are.
      migration: { from: backup.manifest.schema_version, result },
      // Its display name and language, for the console and the notices of a workspace the router does not open (suspended).
      copies: copiesOfTenantFile(dataDir, tenant.id, platform.tenantSource),
      details: {
        backup_id: backupId,
        migrated,
        usage_carried: usageCarried,
        ...(usageNotCarried ? { usage_not_carried: usageNotCarried } : {}),
        ...(mails.dropped ? { waiting_mails_dropped: mails.dropped } : {}),
      },
    };
    record('committed');
    pausePoint('restore:journal-committed');
    bringBackRestored(platform, journal);
    new BackupStateRepository(platform.db).forgetFingerprint(tenant.id);
    pausePoint('restore:committed');
  } catch (error) {
    rollBackRestore(platform, journal, work);
    throw error;
  }
  const offlineMs = performance.now() - offlineAt;
  const preRestoreBackupId = finishRestore(platform, journal, work);
  return { tenant: platform.tenants.findById(tenant.id) as TenantRecord, backupId, preRestoreBackupId, migrated, offlineMs, usageCarried, usageNotCarried };
}
