import type { PlatformDatabase } from '../db/platform-database';
import { limitClause } from '../../core/db/sql-limit';

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
       from fleet_runs r order by r.id desc ${limitClause(limit)}`,
  );
}

/**
 * Each tenant's outcome in the last fleet run that touched it. The last run of every tenant is
 * found in one grouped pass, then each outcome by its key: nothing indexes the outcomes by tenant,
 * so a lookup per outcome read them all again for each (14 s for 10,000 tenants and three runs).
 * Given tenant ids (a page of them), only theirs are returned.
 */
export function lastOutcomeByTenant(db: PlatformDatabase, tenantIds?: readonly string[]): Map<string, LastTenantOutcome> {
  const only = tenantIds ? 'where tenant_id in (select value from json_each(?))' : '';
  const rows = db.all<LastTenantOutcome>(
    `select t.tenant_id, t.run_id, t.outcome, t.to_version, t.error, t.finished_at
       from (select tenant_id, max(run_id) as run_id from fleet_run_tenants ${only} group by tenant_id) latest
       join fleet_run_tenants t on t.run_id = latest.run_id and t.tenant_id = latest.tenant_id`,
    tenantIds ? [JSON.stringify(tenantIds)] : [],
  );
  return new Map(rows.map((row) => [row.tenant_id, row]));
}
