import { TenantUnavailableError } from '../../core/errors/app-errors';
import type { ChartPoint } from '../../core/charts/usage-chart-svg';
import type { Language } from '../../core/i18n/languages';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { ControlPlane } from '../control-plane';
import { tenantFileStamp } from './tenant-file-stamp';
import { UsageRollupStore, type StoredUse, type UsageScan } from './usage-rollup-store';
import { CHART_DAYS, currentPeriodLike, daysBefore, percentOf, utcDay } from './usage-periods';
import { fireUsageAlerts, type FiredAlert } from './usage-alerts';

/** What the control plane knows of a tenant's use without opening its file. */
export interface ControlPlaneCounts {
  members: number;
  pendingInvitations: number;
}

/** A limit read from the tenant's file: its use now, the period it counts in, and its last days for the charts (metered limits). */
export interface MeasuredLimit extends StoredUse {
  series?: ChartPoint[];
}

/**
 * How the roll-up reads a tenant (the workspace's usage report, wired in app/): every limit's
 * use from the open file, the control plane's counts and limits given; and the language its
 * mails go out in.
 */
export interface TenantUsageReader {
  measure(db: TenantDatabase, tenantId: string, counts: ControlPlaneCounts, at: number): MeasuredLimit[];
  language(db: TenantDatabase): Language;
  /** A limit's name, as a message to translate. */
  label(key: string): string;
  /** The limits whose use is a control-plane count (they change without the file changing). */
  countKeys: { members: string; pendingInvitations: string };
}

export interface RollupDeps {
  platform: Pick<ControlPlane, 'config' | 'db' | 'router' | 'logger' | 'owners' | 'tenants' | 'urls'>;
  reader: TenantUsageReader;
  /** A tenant's limits now (its plan and overrides, cached). */
  limitsOf(tenantId: string): Record<string, number | null>;
}

export interface RollupOptions {
  at?: number;
  /** Files opened per pass at most (the others wait for the next pass, still "changed"). */
  maxOpens?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface RollupSummary {
  tenants: number;
  /** Files opened because they changed (or were never rolled up). */
  opened: number;
  /** Tenants brought up to date without opening their file (a count, a limit or the day changed). */
  recomputed: number;
  unchanged: number;
  /** Changed tenants left for the next pass (maxOpens reached). */
  deferred: number;
  failed: Array<{ slug: string; reason: string }>;
  alerts: FiredAlert[];
}

function countRows(platform: RollupDeps['platform'], sql: string, params: Array<string | number> = []): Map<string, number> {
  return new Map(platform.db.all<{ tenant_id: string; n: number }>(sql, params).map((r) => [r.tenant_id, r.n]));
}

/**
 * One roll-up of every active tenant's usage into the control plane (docs/decisions/032). A
 * tenant is opened only when its files changed since the last roll-up (tenantFileStamp: two
 * stats); one whose limits, member or invitation counts or day changed is recomputed from the
 * stored figures; every other tenant costs two stats and a string comparison. Each tenant is
 * written in its own transaction with its stamp, so a killed roll-up resumes where it stopped.
 * Alerts are evaluated for each tenant whose figures were rewritten.
 */
export async function rollUpUsage(deps: RollupDeps, options: RollupOptions = {}): Promise<RollupSummary> {
  const { platform, reader } = deps;
  const at = options.at ?? Date.now();
  const day = utcDay(at);
  const store = new UsageRollupStore(platform.db);
  const tenants = platform.tenants.listByStatus(['active']);
  const scans = store.scans();
  const members = countRows(platform, "select tenant_id, count(*) as n from memberships where status = 'active' group by tenant_id");
  const invitations = countRows(platform, "select tenant_id, count(*) as n from invitations where state = 'pending' and expires_at > ? group by tenant_id", [
    at,
  ]);
  const summary: RollupSummary = { tenants: tenants.length, opened: 0, recomputed: 0, unchanged: 0, deferred: 0, failed: [], alerts: [] };
  const maxOpens = options.maxOpens ?? Infinity;
  let done = 0;
  for (const tenant of tenants) {
    const counts = { members: members.get(tenant.id) ?? 0, pendingInvitations: invitations.get(tenant.id) ?? 0 };
    const fileStamp = tenantFileStamp(platform.config.dataDir, tenant.id);
    const limits = deps.limitsOf(tenant.id);
    const inputsStamp = JSON.stringify([limits, counts.members, counts.pendingInvitations]);
    const scan = scans.get(tenant.id);
    const base = { file_stamp: fileStamp, inputs_stamp: inputsStamp, day, problem: null, rolled_at: at };
    if (scan && scan.file_stamp === fileStamp && scan.inputs_stamp === inputsStamp && scan.day === day) {
      summary.unchanged++;
    } else if (scan && scan.file_stamp === fileStamp && fileStamp !== '') {
      const uses = recomputed(store.usesOf(tenant.id), limits, counts, reader.countKeys, at);
      store.save({ tenantId: tenant.id, scan: base, uses, days: levelDays(uses, day), keepFrom: daysBefore(at, CHART_DAYS) });
      summary.recomputed++;
      summary.alerts.push(...(await fireUsageAlerts(deps, tenant, uses, at)));
    } else if (summary.opened >= maxOpens) {
      summary.deferred++;
    } else {
      summary.opened++;
      const uses = await measureTenant(deps, tenant, counts, at, base, store, summary, scan);
      if (uses) summary.alerts.push(...(await fireUsageAlerts(deps, tenant, uses, at)));
    }
    options.onProgress?.(++done, tenants.length);
  }
  return summary;
}

async function measureTenant(
  deps: RollupDeps,
  tenant: { id: string; slug: string },
  counts: ControlPlaneCounts,
  at: number,
  base: Omit<UsageScan, 'tenant_id' | 'max_percent'>,
  store: UsageRollupStore,
  summary: RollupSummary,
  scan: UsageScan | undefined,
): Promise<StoredUse[] | undefined> {
  let lease;
  try {
    // The router's own checks: a missing or damaged file is refused (and reported), never created.
    lease = await deps.platform.router.acquire(tenant.id);
  } catch (error) {
    if (!(error instanceof TenantUnavailableError)) throw error;
    const reason = error.message;
    if (scan?.problem !== reason) store.saveProblem(tenant.id, reason, at);
    summary.failed.push({ slug: tenant.slug, reason });
    return undefined;
  }
  try {
    const measured = deps.reader.measure(lease.db, tenant.id, counts, at);
    const uses = measured.map(({ series: _series, ...use }) => use);
    const days = [...measured.flatMap((m) => (m.series ?? []).map((p) => ({ key: m.key, day: p.day, value: p.value }))), ...levelDays(uses, base.day)];
    store.save({ tenantId: tenant.id, scan: base, uses, days, keepFrom: daysBefore(at, CHART_DAYS) });
    return uses;
  } finally {
    lease.release();
  }
}

/** Today's value of every level (members, storage...): the charts of levels are built from these. */
function levelDays(uses: StoredUse[], day: string) {
  return uses.filter((u) => u.period === '').map((u) => ({ key: u.key, day, value: u.used }));
}

/** Stored figures brought to now without the file: the counts and limits as they are, a past period's use back to 0. */
function recomputed(
  uses: StoredUse[],
  limits: Record<string, number | null>,
  counts: ControlPlaneCounts,
  keys: TenantUsageReader['countKeys'],
  at: number,
): StoredUse[] {
  return uses.map((use) => {
    const period = currentPeriodLike(use.period, at);
    let used = period === use.period ? use.used : 0;
    if (use.key === keys.members) used = counts.members;
    if (use.key === keys.pendingInvitations) used = counts.pendingInvitations;
    const limit = Object.hasOwn(limits, use.key) ? limits[use.key] : use.limit;
    return { key: use.key, used, limit, percent: percentOf(used, limit), period };
  });
}
