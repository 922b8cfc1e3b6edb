import { USAGE_CHART_DAYS, type ChartPoint } from '../../core/charts/usage-chart-svg';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { LIMITS, type Entitlements, type LimitKey } from '../../tenant-runtime/plan-catalogue';
import { dailySeries } from './usage-meter';
import { usageReport, type LimitUse, type UsageSources } from './usage-report';

/** A level limit's history as the control plane's roll-up kept it (wired in app/); empty when there is none yet. */
export type LevelHistory = (tenantId: string, key: LimitKey, days: number) => ChartPoint[];

export interface LimitOverview extends LimitUse {
  points: ChartPoint[];
}

/**
 * Every limit with its use now and its last 30 days: a metered limit's days from the tenant's
 * own counters, a level's from the roll-up's history, its last day always the level measured
 * now (so the chart agrees with the figure beside it even before any roll-up).
 */
export function usageOverview(db: TenantDatabase, entitlements: Entitlements, sources: UsageSources, history: LevelHistory, at = new Date()): LimitOverview[] {
  return usageReport(db, entitlements, { sources, at }).map((use) => {
    const { metric } = LIMITS[use.key];
    if (metric) return { ...use, points: dailySeries(db, metric, USAGE_CHART_DAYS, at) };
    const kept = history(db.tenantId, use.key, USAGE_CHART_DAYS);
    const points = kept.length ? kept.slice(0, -1) : [];
    return { ...use, points: [...points, { day: at.toISOString().slice(0, 10), value: use.used }] };
  });
}
