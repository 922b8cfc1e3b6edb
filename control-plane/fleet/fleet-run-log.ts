import type { PlatformDatabase } from '../db/platform-database';
import type { TenantOutcome } from './fleet-outcome';

/** The control plane's record of a fleet run and of each tenant it touched. */
export class FleetRunLog {
  private constructor(
    private readonly db: PlatformDatabase,
    readonly runId: number,
  ) {}

  static start(db: PlatformDatabase, targetVersion: string | null, concurrency: number): FleetRunLog {
    // A run still marked running was cut off (Ctrl-C, crash); its tenants' versions are recorded, so this run resumes it.
    const result = db.write(() => {
      db.run("update fleet_runs set status = 'interrupted' where status = 'running'");
      return db.run("insert into fleet_runs (target_version, status, concurrency, started_at) values (?, 'running', ?, ?)", [
        targetVersion,
        concurrency,
        Date.now(),
      ]);
    });
    return new FleetRunLog(db, Number(result.lastInsertRowid));
  }

  record(outcome: TenantOutcome): void {
    this.db.run(
      `insert into fleet_run_tenants (run_id, tenant_id, outcome, from_version, to_version, error, finished_at)
       values (?, ?, ?, ?, ?, ?, ?)`,
      [this.runId, outcome.tenantId, outcome.outcome, outcome.from, outcome.to, outcome.error ?? null, Date.now()],
    );
  }

  finish(succeeded: boolean): void {
    this.db.run('update fleet_runs set status = ?, finished_at = ? where id = ?', [succeeded ? 'succeeded' : 'failed', Date.now(), this.runId]);
  }
}
