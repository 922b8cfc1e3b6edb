import type { PlatformDatabase } from '../db/platform-database';
import { limitClause } from '../../core/db/sql-limit';
import { isProcessAlive } from '../../core/ops/process-alive';

export interface BackupStateRow {
  tenant_id: string;
  last_backup_id: string | null;
  last_backup_at: number | null;
  last_backup_bytes: number | null;
  last_fingerprint: string | null;
  last_attempt_at: number | null;
  last_error: string | null;
  /** Why removing older backups failed after the last backup (kept); platform migration 0033. */
  last_prune_error: string | null;
}

export interface BackupRunRow {
  id: number;
  trigger: string;
  status: string;
  tenants: number;
  backed_up: number;
  unchanged: number;
  failed: number;
  bytes: number;
  started_at: number;
  finished_at: number | null;
  /** The process running it (platform migration 0038); null for runs recorded before. */
  pid: number | null;
}

export type BackupTrigger = 'cli' | 'schedule' | 'console';

/** Runs of this process under way (between startRun and finishRun). */
const runningHere = new Set<number>();

/**
 * Whether a run marked running was cut off (Ctrl-C, crash, SIGKILL): its process is gone, or it
 * is this process (a server restarted under the same pid, as in a container) that is not running it.
 */
function cutOff(run: Pick<BackupRunRow, 'id' | 'pid'>): boolean {
  if (run.pid === null) return true;
  return run.pid === process.pid ? !runningHere.has(run.id) : !isProcessAlive(run.pid);
}

/** Why the tenant's last backup attempt failed (undefined: it did not). */
export function backupFailureOf(row: BackupStateRow | undefined): string | undefined {
  return row?.last_error ?? undefined;
}

/** Why removing the tenant's older backups after its last backup failed (that backup was kept). */
export function pruneFailureOf(row: BackupStateRow | undefined): string | undefined {
  return row?.last_prune_error ?? undefined;
}

/** How a run ended: `prune_failed` when every backup was taken but removing older ones failed for some tenant. */
export type BackupRunStatus = 'succeeded' | 'failed' | 'interrupted' | 'prune_failed';

/** What /metrics says of the fleet's backups; see BackupStateRepository.fleetSummary. */
export interface FleetBackupSummary {
  /** Tenant backups that failed in runs started in the last 24 hours. */
  failedLastDay: number;
  /** Active and suspended tenants with no successful backup recorded. */
  withoutBackup: number;
  /** The oldest of those tenants' newest successful backups (ms), null when none has one. */
  oldestLatestAt: number | null;
}

/** Each tenant's last backup (what a schedule compares against) and the runs' results, in the control plane. */
export class BackupStateRepository {
  constructor(private readonly db: PlatformDatabase) {}

  find(tenantId: string): BackupStateRow | undefined {
    return this.db.get<BackupStateRow>('select * from backup_state where tenant_id = ?', [tenantId]);
  }

  all(): BackupStateRow[] {
    return this.db.all<BackupStateRow>('select * from backup_state');
  }

  succeeded(tenantId: string, backup: { id: string; at: number; bytes: number; fingerprint: string }): void {
    this.db.run(
      `insert into backup_state (tenant_id, last_backup_id, last_backup_at, last_backup_bytes, last_fingerprint, last_attempt_at, last_error)
       values (?, ?, ?, ?, ?, ?, null)
       on conflict(tenant_id) do update set last_backup_id = excluded.last_backup_id, last_backup_at = excluded.last_backup_at,
         last_backup_bytes = excluded.last_backup_bytes, last_fingerprint = excluded.last_fingerprint,
         last_attempt_at = excluded.last_attempt_at, last_error = null, last_prune_error = null`,
      [tenantId, backup.id, backup.at, backup.bytes, backup.fingerprint, Date.now()],
    );
  }

  failed(tenantId: string, error: string): void {
    this.db.run(
      `insert into backup_state (tenant_id, last_attempt_at, last_error) values (?, ?, ?)
       on conflict(tenant_id) do update set last_attempt_at = excluded.last_attempt_at, last_error = excluded.last_error, last_prune_error = null`,
      [tenantId, Date.now(), error.slice(0, 1000)],
    );
  }

  /** The backup just recorded as succeeded was kept, but removing older backups by retention failed. */
  pruneFailed(tenantId: string, error: string): void {
    this.db.run('update backup_state set last_prune_error = ? where tenant_id = ?', [error.slice(0, 1000), tenantId]);
  }

  /** The tenant's data was replaced (restore): its next scheduled backup must not be skipped. */
  forgetFingerprint(tenantId: string): void {
    this.db.run('update backup_state set last_fingerprint = null where tenant_id = ?', [tenantId]);
  }

  startRun(trigger: BackupTrigger, tenants: number): number {
    const id = this.db.write(() => {
      this.markCutOffRuns();
      return Number(
        this.db.run("insert into backup_runs (trigger, status, tenants, started_at, pid) values (?, 'running', ?, ?, ?)", [
          trigger,
          tenants,
          Date.now(),
          process.pid,
        ]).lastInsertRowid,
      );
    });
    runningHere.add(id);
    return id;
  }

  /** Runs marked running whose process is gone: they will never finish. */
  cutOffRuns(): BackupRunRow[] {
    return this.db.all<BackupRunRow>("select * from backup_runs where status = 'running'").filter(cutOff);
  }

  /** Records the runs cut off as interrupted (a run of a process still alive is left running); how many. */
  markCutOffRuns(): number {
    return this.db.write(() => {
      const ids = this.cutOffRuns().map((run) => run.id);
      for (const id of ids) this.db.run("update backup_runs set status = 'interrupted' where id = ? and status = 'running'", [id]);
      return ids.length;
    });
  }

  /**
   * Records how a run ended; one `stopped` before it reached every tenant (the server stopping) is
   * interrupted; one whose backups were all taken but whose pruning failed somewhere is `prune_failed`.
   */
  finishRun(runId: number, counts: { backedUp: number; unchanged: number; failed: number; bytes: number; stopped?: boolean; pruneFailed?: number }): void {
    runningHere.delete(runId);
    const status: BackupRunStatus = counts.failed ? 'failed' : counts.stopped ? 'interrupted' : counts.pruneFailed ? 'prune_failed' : 'succeeded';
    this.db.run('update backup_runs set status = ?, backed_up = ?, unchanged = ?, failed = ?, bytes = ?, finished_at = ? where id = ?', [
      status,
      counts.backedUp,
      counts.unchanged,
      counts.failed,
      counts.bytes,
      Date.now(),
      runId,
    ]);
  }

  /**
   * The fleet's backups for monitoring, in one statement however many tenants there are: the
   * tenants the schedule backs up (active and suspended, by the status index) joined to their
   * state by its key, and the runs of the last day by their start time's index.
   */
  fleetSummary(now: number): FleetBackupSummary {
    const row = this.db.get<{ failed: number | null; without: number; oldest: number | null }>(
      `select (select sum(failed) from backup_runs where started_at >= ?) as failed,
              coalesce(sum(s.last_backup_at is null), 0) as without, min(s.last_backup_at) as oldest
         from tenants t left join backup_state s on s.tenant_id = t.id
        where t.status in ('active', 'suspended')`,
      [now - 24 * 3600_000],
    );
    return { failedLastDay: row?.failed ?? 0, withoutBackup: row?.without ?? 0, oldestLatestAt: row?.oldest ?? null };
  }

  /** The newest runs; one marked running whose process is gone reads as interrupted. */
  recentRuns(limit = 10): BackupRunRow[] {
    return this.db
      .all<BackupRunRow>(`select * from backup_runs order by id desc ${limitClause(limit)}`)
      .map((run) => (run.status === 'running' && cutOff(run) ? { ...run, status: 'interrupted' } : run));
  }
}
