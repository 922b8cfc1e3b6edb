import { TenantBehindError, TenantDamagedError, TenantUnavailableError } from '../../core/errors/tenant-unavailable-errors';
import { pausePoint } from '../../core/process/pause-point';
import { TimeSlice } from '../../core/jobs/event-loop-turn';
import { isLimitKey, LIMITS, type Entitlements, type LimitKey } from '../../tenant-runtime/plan-catalogue';
import { tenantFileStamp } from './tenant-file-stamp';
import { UsageRollupStore, type StoredUse, type UsageScan } from './usage-rollup-store';
import { USAGE_CHART_DAYS } from '../../core/charts/usage-chart-svg';
import { currentPeriodLike, daysBefore } from './usage-periods';
import { utcDay } from '../../core/time/utc-time';
import { percentOf } from '../../tenant-runtime/limit-share';
import { fireUsageAlerts, mailUnsentAlerts, type FiredAlert } from './usage-alerts';
import { UsageCounts } from './usage-counts';
import type { ControlPlaneCounts, RollupDeps } from './rollup-deps';

export type { ControlPlaneCounts, MeasuredLimit, RollupDeps, TenantUsageReader } from './rollup-deps';

export interface RollupOptions {
  at?: number;
  /** Files opened per pass at most (the others wait for the next pass, still "changed"). */
  maxOpens?: number;
  /** Tenants recomputed per pass at most (the first pass of a day recomputes every tenant). */
  maxRecomputes?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface RollupSummary {
  tenants: number;
  /** Files opened because they changed (or were never rolled up). */
  opened: number;
  /** Tenants brought up to date without opening their file (a count, a limit or the day changed). */
  recomputed: number;
  unchanged: number;
  /** Changed tenants left for the next pass (maxOpens or maxRecomputes reached). */
  deferred: number;
  failed: Array<{ slug: string; reason: string }>;
  alerts: FiredAlert[];
  /** Mails of earlier alerts that this pass sent (their pass did not). */
  alertMailsResent: number;
}

/**
 * One roll-up of every active tenant's usage into the control plane (docs/decisions/032). A
 * tenant is opened only when its files changed since the last roll-up (tenantFileStamp: two
 * stats); one whose limits, member or invitation counts or day changed is recomputed from the
 * stored figures; every other tenant costs two stats and a string comparison. Each tenant is
 * written in its own transaction with its stamp, so a killed roll-up resumes where it stopped.
 * Alerts are evaluated for each tenant whose figures were rewritten. Nothing in a tenant's turn
 * waits for I/O, so the event loop is given a turn after each tenant opened or recomputed (a
 * write transaction each) and every SLICE_MS among unchanged ones: requests are answered while
 * a pass reads hundreds of files or recomputes the whole fleet after midnight.
 */
export async function rollUpUsage(deps: RollupDeps, options: RollupOptions = {}): Promise<RollupSummary> {
  const { platform } = deps;
  const at = options.at ?? Date.now();
  const day = utcDay(at);
  const store = new UsageRollupStore(platform.db);
  const tenants = store.activeTenants();
  const scans = store.scans();
  const counted = new UsageCounts(platform.db);
  const members = counted.membersByTenant();
  const invitations = counted.pendingInvitationsByTenant(at);
  const summary: RollupSummary = { tenants: tenants.length, opened: 0, recomputed: 0, unchanged: 0, deferred: 0, failed: [], alerts: [], alertMailsResent: 0 };
  const maxOpens = options.maxOpens ?? Infinity;
  const maxRecomputes = options.maxRecomputes ?? Infinity;
  let done = 0;
  const slice = new TimeSlice();
  for (const tenant of tenants) {
    const written = summary.opened + summary.recomputed;
    const counts = { members: members.get(tenant.id) ?? 0, pendingInvitations: invitations.get(tenant.id) ?? 0 };
    const fileStamp = tenantFileStamp(platform.config.dataDir, tenant.id);
    const entitlements = platform.planBook.entitlementsOf(tenant.id);
    const inputsStamp = `${limitsStamp(entitlements.limits)}|${counts.members}|${counts.pendingInvitations}`;
    const scan = scans.get(tenant.id);
    const base = { file_stamp: fileStamp, inputs_stamp: inputsStamp, day, problem: null, rolled_at: at };
    if (scan?.problem && scan.file_stamp === fileStamp) {
      // A file that could not be read is tried again once it changes (restored, repaired), not every pass.
      summary.failed.push({ slug: tenant.slug, reason: scan.problem });
    } else if (scan && scan.file_stamp === fileStamp && scan.inputs_stamp === inputsStamp && scan.day === day) {
      summary.unchanged++;
    } else if (platform.tenants.statusOf(tenant.id) !== 'active') {
      // Suspended, archived or purged while the pass let the event loop run: left out, as if listed a moment later.
    } else if (scan && scan.file_stamp === fileStamp && summary.recomputed >= maxRecomputes) {
      summary.deferred++;
    } else if (scan && scan.file_stamp === fileStamp) {
      const uses = recomputed(store.usesOf(tenant.id), entitlements.limits, counts, at);
      store.save({ tenantId: tenant.id, scan: base, uses, days: levelDays(uses, day), keepFrom: daysBefore(at, USAGE_CHART_DAYS) });
      summary.recomputed++;
      summary.alerts.push(...(await fireUsageAlerts(deps, tenant, uses, at)));
    } else if (summary.opened >= maxOpens) {
      summary.deferred++;
    } else {
      summary.opened++;
      const uses = await measureTenant(deps, tenant, entitlements, counts, at, base, store, summary);
      if (uses) summary.alerts.push(...(await fireUsageAlerts(deps, tenant, uses, at)));
    }
    options.onProgress?.(++done, tenants.length);
    if (summary.opened + summary.recomputed > written) await slice.yieldNow();
    else await slice.yieldIfDue();
  }
  // Mail of alerts recorded by an earlier pass that did not go out (killed, failed, no owner then).
  summary.alertMailsResent = await mailUnsentAlerts(deps, at);
  return summary;
}

async function measureTenant(
  deps: RollupDeps,
  tenant: { id: string; slug: string },
  entitlements: Entitlements,
  counts: ControlPlaneCounts,
  at: number,
  base: Omit<UsageScan, 'tenant_id' | 'max_percent'>,
  store: UsageRollupStore,
  summary: RollupSummary,
): Promise<StoredUse[] | undefined> {
  let lease;
  try {
    // The router's own checks: a missing or damaged file is refused (and reported), never created.
    lease = await deps.platform.router.acquire(tenant.id);
  } catch (error) {
    if (!(error instanceof TenantUnavailableError)) throw error;
    const reason = error instanceof TenantDamagedError ? `damaged: ${error.reason}` : error instanceof TenantBehindError ? error.reason : error.message;
    store.saveProblem(tenant.id, reason, base.file_stamp, at);
    summary.failed.push({ slug: tenant.slug, reason });
    return undefined;
  }
  try {
    // Stamped once open (opening may create the WAL) and before reading: a write after this
    // point changes the stamp again, so the next pass reads it; none is missed.
    const stamped = { ...base, file_stamp: tenantFileStamp(deps.platform.config.dataDir, tenant.id, Date.now()) };
    const measured = deps.reader.measure(lease.db, entitlements, counts, new Date(at));
    const uses = measured.map(({ series: _series, ...use }) => ({ ...use, period: periodOf(use.key, at) }));
    // A metered day without use is not stored: the charts read a missing day as 0.
    const metered = measured.flatMap((m) => (m.series ?? []).filter((p) => p.value > 0).map((p) => ({ key: m.key, day: p.day, value: p.value })));
    const days = [...metered, ...levelDays(uses, base.day)];
    store.save({ tenantId: tenant.id, scan: stamped, uses, days, keepFrom: daysBefore(at, USAGE_CHART_DAYS) });
    pausePoint('usage-rollup:tenant-saved');
    return uses;
  } finally {
    lease.release();
  }
}

/** A tenant's limits as text, computed once per cached entitlements (the plan book keeps them until they change). */
const limitsStamps = new WeakMap<object, string>();
function limitsStamp(limits: Entitlements['limits']): string {
  let stamp = limitsStamps.get(limits);
  if (stamp === undefined) {
    stamp = JSON.stringify(limits);
    limitsStamps.set(limits, stamp);
  }
  return stamp;
}

/** The period a use counts in now: its day or month for a metered limit, '' for a level. */
function periodOf(key: LimitKey, at: number): string {
  const { period } = LIMITS[key];
  if (period === null) return '';
  return period === 'day' ? utcDay(at) : utcDay(at).slice(0, 7);
}

/** Today's value of every level (members, storage...): the charts of levels are built from these. */
function levelDays(uses: StoredUse[], day: string) {
  return uses.filter((u) => u.period === '').map((u) => ({ key: u.key, day, value: u.used }));
}

/** Stored figures brought to now without the file: the counts and limits as they are, a past period's use back to 0. */
function recomputed(uses: StoredUse[], limits: Entitlements['limits'], counts: ControlPlaneCounts, at: number): StoredUse[] {
  return uses.map((use) => {
    const period = currentPeriodLike(use.period, at);
    let used = period === use.period ? use.used : 0;
    if (use.key === 'members') used = counts.members;
    if (use.key === 'pending_invitations') used = counts.pendingInvitations;
    const limit = isLimitKey(use.key) ? limits[use.key] : use.limit;
    return { key: use.key, used, limit, percent: percentOf(used, limit), period };
  });
}
