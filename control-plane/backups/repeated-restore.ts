import fs from 'node:fs';
import path from 'node:path';
import { isDoubleSubmit } from '../../core/http/double-submit';
import type { ControlPlane } from '../control-plane';
import { TenantStatusHistory } from '../lifecycle/tenant-status-history';
import { SAME_OPERATION_WAIT_MS } from '../lifecycle/tenant-lock';
import { listBackups } from './list-backups';
import { readJson, restoreWorkDir } from './operation-workspace';
import { restoreRunning, type RestoreJournal } from './restore-recovery';
import { deadlineIn } from '../../core/time/monotonic-deadline';

const POLL_MS = 25;

/** What a restore sent again is answered with: the first one's tenant, backup and pre-restore backup. */
export interface RestoreDone {
  backupId: string;
  /** The backup of the state the first restore replaced (null: it waits in the restore folder, as that restore said). */
  preRestoreBackupId: string | null;
}

/**
 * The restore a console form sent again was just done by (a double click, a form sent again): the
 * same backup restored over the tenant by the same super admin within DOUBLE_SUBMIT_MS, its own
 * work finished first (waited for while it runs, here or in another process). Restoring it a
 * second time would take the tenant offline again and keep the first restore's result as a
 * second pre-restore backup, and retention keeps only the newest of those: the state the first
 * restore replaced (the way back from it) would be removed by the next prune. Undefined for
 * anything else: another backup, another person, long after, a restore that was rolled back.
 */
export async function restoreJustDone(
  platform: ControlPlane,
  tenantId: string,
  backupId: string,
  actorUserId: string | null,
): Promise<RestoreDone | undefined> {
  if (!actorUserId) return undefined;
  const work = restoreWorkDir(platform.config.dataDir, tenantId);
  await sameRestoreEnded(work, backupId, actorUserId);
  const offline = new TenantStatusHistory(platform.db).lastInto(tenantId, 'maintenance');
  if (
    !offline ||
    offline.action !== 'take-offline' ||
    offline.actor_user_id !== actorUserId ||
    offline.reason !== `restoring backup ${backupId}` ||
    !isDoubleSubmit(offline.created_at) ||
    platform.tenants.findById(tenantId)?.status === 'maintenance'
  )
    return undefined;
  // A restore that committed keeps what it replaced as a pre-restore backup taken after it went
  // offline, or leaves it in its work folder when that backup could not be made; one rolled back does neither.
  const kept = listBackups(platform, tenantId).find((b) => b.kind === 'pre-restore' && b.takenAt >= offline.created_at);
  if (kept) return { backupId, preRestoreBackupId: kept.id };
  const journal = readJson<RestoreJournal>(path.join(work, 'journal.json'));
  return journal?.phase === 'committed' && journal.backupId === backupId ? { backupId, preRestoreBackupId: null } : undefined;
}

/** Waits, without blocking the process, while a restore of the same backup by the same person runs on the tenant. */
async function sameRestoreEnded(work: string, backupId: string, actorUserId: string): Promise<void> {
  const deadline = deadlineIn(SAME_OPERATION_WAIT_MS);
  for (;;) {
    const journal = fs.existsSync(work) ? readJson<RestoreJournal>(path.join(work, 'journal.json')) : undefined;
    if (!journal || journal.backupId !== backupId || journal.actorUserId !== actorUserId || !restoreRunning(journal) || deadline.passed()) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
