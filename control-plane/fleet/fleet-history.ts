import type { PlatformDatabase } from '../db/platform-database';

export interface FleetRunSummary {
  id: number;
  target_version: string | null;
  status: string;
  concurrency: number;
  started_at: number;
  finished_at: number | null;
  migrated: number;
  failed: number;
}

export interface LastTenantOutcome {
  tenant_id: string;
  run_id: number;
  outcome: string;
  to_version: string | null;
  error: string | null;
  finished_at: number;
}

/** The latest fleet runs with their counts, newest first. */
export function recentFleetRuns(db: PlatformDatabase, limit = 10): FleetRunSummary[] {
  return db.all<FleetRunSummary>(
    `select r.*,
            (select count(*) from fleet_run_tenants t where t.run_id = r.id and t.outcome = 'migrated') as migrated,
            (select count(*) from fleet_run_tenants t where t.run_id = r.id and t.outcome = 'failed') as failed
       from fleet_runs r order by r.id desc limit ?`,
    [limit],
  );
}

/** Each tenant's outcome in the last fleet run that touched it. */
export function lastOutcomeByTenant(db: PlatformDatabase): Map<string, LastTenantOutcome> {
  const rows = db.all<LastTenantOutcome>(
    `select t.tenant_id, t.run_id, t.outcome, t.to_version, t.error, t.finished_at
       from fleet_run_tenants t
      where t.run_id = (select max(run_id) from fleet_run_tenants u where u.tenant_id = t.tenant_id)`,
  );
  return new Map(rows.map((row) => [row.tenant_id, row]));
}
