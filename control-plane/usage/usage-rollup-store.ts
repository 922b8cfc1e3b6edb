import type { PlatformDatabase } from '../db/platform-database';
import { BOUND_OFFSET, limitClause } from '../../core/db/sql-limit';

/** One limit of one tenant as the roll-up stored it. `period`: the day or month a metered use counts in, '' for a level. */
export interface StoredUse {
  key: string;
  used: number;
  limit: number | null;
  percent: number | null;
  period: string;
}

/** What the last roll-up saw of a tenant: its files' stamp, its other inputs, the day, and its highest percentage. */
export interface UsageScan {
  tenant_id: string;
  file_stamp: string;
  inputs_stamp: string;
  day: string;
  max_percent: number | null;
  problem: string | null;
  rolled_at: number;
}

/** A tenant's roll-up, written at once: its scan row, its uses and the days of its charts. */
export interface RolledUpTenant {
  tenantId: string;
  scan: Omit<UsageScan, 'tenant_id' | 'max_percent'>;
  uses: StoredUse[];
  /** Per limit, days to write (replacing what a day held); older than `keepFrom` days are dropped. */
  days: Array<{ key: string; day: string; value: number }>;
  keepFrom: string;
}

export interface NearLimitRow {
  tenant_id: string;
  slug: string;
  name: string;
  max_percent: number;
  rolled_at: number;
}

/** Highest percentage among the uses, null when no limit is set. */
export function maxPercentOf(uses: StoredUse[]): number | null {
  const percents = uses.map((u) => u.percent).filter((p): p is number => p !== null);
  return percents.length ? Math.max(...percents) : null;
}

/**
 * `tenant_usage_scans`, `tenant_usage` and `tenant_usage_days` (platform migration 0030): the
 * roll-up's copy of every tenant's usage. A tenant is written in one BEGIN IMMEDIATE
 * transaction, its scan row last: a roll-up killed half-way leaves every tenant either as it
 * was (and still "changed" for the next pass) or complete.
 */
export class UsageRollupStore {
  constructor(private readonly db: PlatformDatabase) {}

  /** The tenants a roll-up visits: the active ones (only what it needs of them: a fleet is 10,000 rows). */
  activeTenants(): Array<{ id: string; slug: string; name: string }> {
    return this.db.all("select id, slug, coalesce(display_name, name) as name from tenants where status = 'active'");
  }

  scans(): Map<string, UsageScan> {
    const rows = this.db.all<UsageScan>('select tenant_id, file_stamp, inputs_stamp, day, max_percent, problem, rolled_at from tenant_usage_scans');
    return new Map(rows.map((s) => [s.tenant_id, s]));
  }

  usesOf(tenantId: string): StoredUse[] {
    return this.db.all<StoredUse>(
      'select limit_key as key, used, limit_value as "limit", percent, period from tenant_usage where tenant_id = ? order by rowid',
      [tenantId],
    );
  }

  /** The tenant's values of one limit from `from` (YYYY-MM-DD) on, oldest first. */
  daysOf(tenantId: string, key: string, from: string): Array<{ day: string; value: number }> {
    return this.db.all('select day, value from tenant_usage_days where tenant_id = ? and limit_key = ? and day >= ? order by day', [tenantId, key, from]);
  }

  /** The last value recorded before `day` (a level carried into the chart's first day). */
  valueBefore(tenantId: string, key: string, day: string): number | undefined {
    return this.db.get<{ value: number }>('select value from tenant_usage_days where tenant_id = ? and limit_key = ? and day < ? order by day desc limit 1', [
      tenantId,
      key,
      day,
    ])?.value;
  }

  save(tenant: RolledUpTenant): void {
    const { tenantId, scan, uses } = tenant;
    this.db.write(() => {
      this.db.run('delete from tenant_usage where tenant_id = ?', [tenantId]);
      for (const use of uses)
        this.db.run('insert into tenant_usage (tenant_id, limit_key, used, limit_value, percent, period) values (?, ?, ?, ?, ?, ?)', [
          tenantId,
          use.key,
          use.used,
          use.limit,
          use.percent,
          use.period,
        ]);
      for (const d of tenant.days)
        this.db.run(
          'insert into tenant_usage_days (tenant_id, limit_key, day, value) values (?, ?, ?, ?) on conflict (tenant_id, limit_key, day) do update set value = excluded.value',
          [tenantId, d.key, d.day, d.value],
        );
      if (tenant.days.length) this.db.run('delete from tenant_usage_days where tenant_id = ? and day < ?', [tenantId, tenant.keepFrom]);
      this.db.run(
        `insert into tenant_usage_scans (tenant_id, file_stamp, inputs_stamp, day, max_percent, problem, rolled_at) values (?, ?, ?, ?, ?, ?, ?)
           on conflict (tenant_id) do update set file_stamp = excluded.file_stamp, inputs_stamp = excluded.inputs_stamp, day = excluded.day,
             max_percent = excluded.max_percent, problem = excluded.problem, rolled_at = excluded.rolled_at`,
        [tenantId, scan.file_stamp, scan.inputs_stamp, scan.day, maxPercentOf(uses), scan.problem, scan.rolled_at],
      );
    });
  }

  /** A tenant whose file could not be read: the problem and the file's stamp are recorded, its last figures stay. */
  saveProblem(tenantId: string, problem: string, fileStamp: string, at: number): void {
    this.db.run(
      `insert into tenant_usage_scans (tenant_id, file_stamp, inputs_stamp, day, max_percent, problem, rolled_at) values (?, ?, '', '', null, ?, ?)
         on conflict (tenant_id) do update set file_stamp = excluded.file_stamp, problem = excluded.problem, rolled_at = excluded.rolled_at`,
      [tenantId, fileStamp, problem, at],
    );
  }

  /** Every tenant's limits at or over `percent`, each tenant's highest first (the workspace banner's board). */
  limitsAtOrOver(percent: number): Array<{ tenant_id: string; limit_key: string; percent: number }> {
    return this.db.all('select tenant_id, limit_key, percent from tenant_usage where percent >= ? order by tenant_id, percent desc', [percent]);
  }

  /** Tenants at or over `percent` of some limit, closest first (the dashboard). */
  nearLimit(percent: number, limit = 50): NearLimitRow[] {
    return this.db.all<NearLimitRow>(
      `select s.tenant_id, t.slug, coalesce(t.display_name, t.name) as name, s.max_percent, s.rolled_at from tenant_usage_scans s join tenants t on t.id = s.tenant_id
        where s.max_percent >= ? and t.status <> 'purged' order by s.max_percent desc, t.slug ${limitClause(limit)}`,
      [percent],
    );
  }

  /** One page of the admin list: every rolled-up tenant, closest to a limit first. */
  page(offset: number, limit: number): { rows: Array<NearLimitRow & { problem: string | null; max_percent: number | null }>; total: number } {
    const total =
      this.db.get<{ n: number }>("select count(*) as n from tenant_usage_scans s join tenants t on t.id = s.tenant_id where t.status <> 'purged'")?.n ?? 0;
    const rows = this.db.all<NearLimitRow & { problem: string | null; max_percent: number | null }>(
      `select s.tenant_id, t.slug, coalesce(t.display_name, t.name) as name, s.max_percent, s.problem, s.rolled_at from tenant_usage_scans s join tenants t on t.id = s.tenant_id
        where t.status <> 'purged' order by s.max_percent is null, s.max_percent desc, t.slug ${limitClause(limit)} ${BOUND_OFFSET}`,
      [offset],
    );
    return { rows, total };
  }
}
