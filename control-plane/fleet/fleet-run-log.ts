import type { PlatformDb } from '../db/open-platform-db';
import type { TenantOutcome } from './migrate-fleet';

/** The control plane's record of a fleet run and of each tenant it touched. */
export class FleetRunLog {
  private constructor(
    private readonly db: PlatformDb,
    readonly runId: number,
  ) {}

  static start(db: PlatformDb, targetVersion: string | null, concurrency: number): FleetRunLog {
    // A run still marked running was cut off (Ctrl-C, crash); its tenants' versions are recorded, so this run resumes it.
    db.prepare("update fleet_runs set status = 'interrupted' where status = 'running'").run();
    const result = db.raw
      .prepare("insert into fleet_runs (target_version, status, concurrency, started_at) values (?, 'running', ?, ?)")
      .run(targetVersion, concurrency, Date.now());
    return new FleetRunLog(db, Number(result.lastInsertRowid));
  }

  record(outcome: TenantOutcome): void {
    this.db
      .prepare(
        `insert into fleet_run_tenants (run_id, tenant_id, outcome, from_version, to_version, error, finished_at)
         values (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(this.runId, outcome.tenantId, outcome.outcome, outcome.from, outcome.to, outcome.error ?? null, Date.now());
  }

  finish(succeeded: boolean): void {
    this.db.prepare('update fleet_runs set status = ?, finished_at = ? where id = ?').run(succeeded ? 'succeeded' : 'failed', Date.now(), this.runId);
  }
}
