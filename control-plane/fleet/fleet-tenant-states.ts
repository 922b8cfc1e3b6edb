import type { PlatformDatabase } from '../db/platform-database';
import { BOUND_OFFSET, limitClause } from '../../core/db/sql-limit';
import type { BackupStateRow } from '../backups/backup-state';
import type { TenantRecord } from '../tenants/tenant-record';
import { lastOutcomeByTenant, type LastTenantOutcome } from './fleet-history';

/** A backup older than this is reported as stale. */
export const STALE_BACKUP_MS = 2 * 24 * 3600_000;

/** The tenants the fleet page reports on: every live one (not being made, failed, archived or purged). */
const LIVE = "t.status in ('active', 'suspended', 'maintenance', 'damaged')";

/**
 * Each live tenant with its backup state and whether it needs an operator: damaged, behind the
 * latest tenant migration, its last backup failed, stale or missing, or pruning after it failed.
 * (A migration that failed leaves the tenant behind, so its last run is not needed to tell.)
 */
const STATES = `
  select t.id, t.slug, t.status, t.schema_version is ? as current,
         coalesce(b.last_error, '') <> '' as backup_failed,
         coalesce(b.last_prune_error, '') <> '' as prune_failed,
         (coalesce(b.last_backup_at, 0) = 0 or ? - b.last_backup_at > ?) as backup_stale
    from tenants t left join backup_state b on b.tenant_id = t.id
   where ${LIVE}`;
const ATTENTION = `(status = 'damaged' or not current or backup_failed or prune_failed or backup_stale)`;

export interface FleetCounts {
  total: number;
  current: number;
  behind: number;
  /** Behind, and the last fleet run that touched them failed on them. */
  failed: number;
  damaged: number;
  backupProblems: number;
  pruneProblems: number;
  staleBackups: number;
}

/** The fleet's counts in one grouped pass over the control plane (no row per tenant is returned). */
export function fleetCounts(db: PlatformDatabase, latest: string | null, now: number): FleetCounts {
  const row = db.get<Record<keyof FleetCounts, number | null>>(
    `with s as (${STATES}),
          last_failed as (
            select f.tenant_id from (select tenant_id, max(run_id) as run_id from fleet_run_tenants group by tenant_id) l
              join fleet_run_tenants f on f.run_id = l.run_id and f.tenant_id = l.tenant_id
             where f.outcome = 'failed')
     select count(*) as total, sum(current) as current,
            sum(not current and id not in (select tenant_id from last_failed)) as behind,
            sum(not current and id in (select tenant_id from last_failed)) as failed,
            sum(status = 'damaged') as damaged, sum(backup_failed) as backupProblems, sum(prune_failed) as pruneProblems,
            sum(backup_stale) as staleBackups
       from s`,
    [latest, now, STALE_BACKUP_MS],
  );
  const n = (key: keyof FleetCounts) => Number(row?.[key] ?? 0);
  return {
    total: n('total'),
    current: n('current'),
    behind: n('behind'),
    failed: n('failed'),
    damaged: n('damaged'),
    backupProblems: n('backupProblems'),
    pruneProblems: n('pruneProblems'),
    staleBackups: n('staleBackups'),
  };
}

export interface FleetPageTenant {
  tenant: TenantRecord;
  backup?: BackupStateRow;
  lastRun?: LastTenantOutcome;
  attention: boolean;
}

/**
 * One page of live tenants, those needing attention first, then by slug: the page's tenant rows,
 * backup states and last fleet-run outcomes are read for its tenants only.
 */
export function fleetTenantPage(db: PlatformDatabase, latest: string | null, now: number, page: number, pageSize: number): FleetPageTenant[] {
  const listed = db.all<{ id: string; attention: number }>(
    `with s as (${STATES}) select id, ${ATTENTION} as attention from s order by attention desc, slug ${limitClause(pageSize)} ${BOUND_OFFSET}`,
    [latest, now, STALE_BACKUP_MS, (page - 1) * pageSize],
  );
  if (!listed.length) return [];
  const ids = listed.map((row) => row.id);
  const idList = JSON.stringify(ids);
  const tenants = new Map(db.all<TenantRecord>('select * from tenants where id in (select value from json_each(?))', [idList]).map((t) => [t.id, t]));
  const backups = new Map(
    db.all<BackupStateRow>('select * from backup_state where tenant_id in (select value from json_each(?))', [idList]).map((b) => [b.tenant_id, b]),
  );
  const lastRuns = lastOutcomeByTenant(db, ids);
  return listed.flatMap((row) => {
    const tenant = tenants.get(row.id);
    return tenant ? [{ tenant, backup: backups.get(row.id), lastRun: lastRuns.get(row.id), attention: Boolean(row.attention) }] : [];
  });
}
