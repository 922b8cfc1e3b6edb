import fs from 'node:fs';
import path from 'node:path';
import type { ControlPlane } from '../control-plane';
import { isProcessAlive } from '../../core/ops/process-alive';
import { fsyncDir } from '../../core/fs/durable-files';
import { tenantPaths, tenantsRoot, TENANT_ID_PATTERN } from '../../tenant-runtime/tenant-paths';
import type { SettingsCopy, TenantStatus } from '../tenants/tenant-record';
import type { TenantMigration } from '../fleet/migrate-one-tenant';
import { backupTenant } from './backup-tenant';
import { operationsRoot, readJson } from './operation-workspace';
import { bringBack, type OperatorClient } from './take-offline';

/** A restore's state on disk (`journal.json` in its work folder), written before each step. */
export interface RestoreJournal {
  pid: number;
  tenantId: string;
  slug: string;
  backupId: string;
  previousStatus: TenantStatus;
  /** staging: live untouched; offline: tenant in maintenance; swapping: folders moving; committed: done but for clean-up. */
  phase: 'staging' | 'offline' | 'swapping' | 'committed';
  actorUserId: string | null;
  /** The request's client and API token (the admin API's): the records a start that finishes or undoes the restore writes name them too. */
  client?: OperatorClient;
  startedAt: number;
  /** Written with the `committed` phase: what bringing the tenant back records, the same when a later start finishes it. */
  committed?: CommittedRestore;
}

/** What a committed restore records as the tenant comes back (bringBack). */
export interface CommittedRestore {
  /** The restored data's migration up to the code, from the backup's version (`tenant.migrated` when it moved). */
  migration: { from: string | null; result: TenantMigration };
  /** The restored file's display name and language, for the control plane's copies. */
  copies: SettingsCopy;
  /** The details of the `tenant.restore` record. */
  details: Record<string, unknown>;
}

/**
 * Brings back the tenant a committed restore replaced the data of, recording what the journal
 * says: its migration, its file's display name and language, and the `tenant.restore` record
 * (`extra` added to its details). A journal without them (written by an older version) records
 * the backup only, and the copies are read from the file on its next open.
 */
export function bringBackRestored(platform: ControlPlane, journal: RestoreJournal, extra: Record<string, unknown> = {}): void {
  const committed = journal.committed;
  bringBack(
    platform,
    journal.tenantId,
    {
      actorUserId: journal.actorUserId,
      auditAction: 'tenant.restore',
      auditDetails: { ...(committed?.details ?? { backup_id: journal.backupId }), ...extra },
      replaced: true,
      copies: committed?.copies,
      client: journal.client,
    },
    committed && { ...committed.migration, operator: { userId: journal.actorUserId, ...journal.client } },
  );
}

/** Tenants a restore of this process is working on now (between its work folder and the end of its clean-up). */
const restoringHere = new Set<string>();

/**
 * Marks a restore of this process as running until `done` is called: a work folder of this
 * process that is not marked was left by a restore that has ended (the state it replaced could
 * not be kept as a backup: BACKUP_DIR was full) and is resolved like that of a process that is gone.
 */
export function markRestoreRunning(tenantId: string): () => void {
  restoringHere.add(tenantId);
  return () => restoringHere.delete(tenantId);
}

/** Whether the restore a journal records is running now: in this process, or in another one that is alive. */
export function restoreRunning(journal: RestoreJournal): boolean {
  return journal.pid === process.pid ? restoringHere.has(journal.tenantId) : isProcessAlive(journal.pid);
}

/**
 * Undoes a restore that did not commit: the state it replaced goes back in place (it is in
 * `previous` once the folders started moving; before that the live folder was never touched),
 * the staged copy is removed and the tenant returns to the status it had.
 */
export function rollBackRestore(platform: ControlPlane, journal: RestoreJournal, work: string): void {
  const live = tenantPaths(platform.config.dataDir, journal.tenantId).dir;
  const previous = path.join(work, 'previous');
  if (fs.existsSync(previous)) {
    fs.rmSync(live, { recursive: true, force: true });
    fs.renameSync(previous, live);
    fsyncDir(tenantsRoot(platform.config.dataDir));
  }
  fs.rmSync(work, { recursive: true, force: true });
  bringBack(platform, journal.tenantId, {
    actorUserId: journal.actorUserId,
    auditAction: 'tenant.restore.rolled_back',
    auditDetails: { backup_id: journal.backupId },
    replaced: false,
    client: journal.client,
  });
}

/**
 * Finishes a committed restore: the tenant is back (if a cut-off left it in maintenance, it comes
 * back now), and the state the restore replaced becomes a `pre-restore` backup (kept as it was
 * and marked if it was damaged). Returns that backup's id, or null if it could not be kept (the
 * work folder then stays for the next attempt).
 */
export function finishRestore(platform: ControlPlane, journal: RestoreJournal, work: string): string | null {
  try {
    return keepReplacedState(platform, journal, work);
  } catch (error) {
    platform.logger.error(
      { err: error, tenantId: journal.tenantId },
      'the state a restore replaced could not be kept as a backup; it stays in the restore folder',
    );
    return null;
  }
}

/** finishRestore, throwing when the replaced state cannot be kept as a backup (the work folder then stays). */
export function keepReplacedState(platform: ControlPlane, journal: RestoreJournal, work: string): string | null {
  bringBackRestored(platform, journal, { finished_after_interruption: true });
  const previous = path.join(work, 'previous');
  let backupId: string | null = null;
  if (fs.existsSync(path.join(previous, 'tenant.sqlite'))) {
    const tenant = platform.tenants.findById(journal.tenantId);
    backupId = backupTenant({
      dataDir: platform.config.dataDir,
      backupRoot: platform.config.backupDir,
      tenant: { id: journal.tenantId, slug: tenant?.slug ?? journal.slug, name: tenant?.name ?? journal.slug },
      kind: 'pre-restore',
      sourceDir: previous,
      keepDamaged: true,
    }).backup_id;
  }
  fs.rmSync(work, { recursive: true, force: true });
  return backupId;
}

/**
 * Resolves restores whose process is gone (killed, crashed, powered off), and those of this
 * process that ended with their work folder left (restoreRunning): before the commit they are
 * rolled back, after it they are finished (a replaced state that still cannot be kept as a backup
 * stays for the next attempt). A restore still running, here or in another process, is left alone. Runs with every repair of interrupted work (recover-operations.ts) and before every restore.
 */
export function recoverInterruptedRestores(platform: ControlPlane): number {
  const root = operationsRoot(platform.config.dataDir, 'restoring');
  let names: string[];
  try {
    names = fs.readdirSync(root).filter((name) => TENANT_ID_PATTERN.test(name));
  } catch {
    return 0;
  }
  let recovered = 0;
  for (const tenantId of names) {
    const work = path.join(root, tenantId);
    const journal = readJson<RestoreJournal>(path.join(work, 'journal.json'));
    if (journal && restoreRunning(journal)) continue;
    if (!journal || journal.tenantId !== tenantId) {
      // Cut off before its journal was written: nothing but the folder itself exists.
      fs.rmSync(work, { recursive: true, force: true });
    } else if (journal.phase === 'committed') {
      finishRestore(platform, journal, work);
      if (fs.existsSync(work)) continue;
    } else {
      rollBackRestore(platform, journal, work);
    }
    platform.logger.warn({ tenantId, phase: journal?.phase ?? 'started' }, 'an interrupted restore was resolved');
    recovered++;
  }
  return recovered;
}
