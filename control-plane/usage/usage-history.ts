import type { PlatformDatabase } from '../db/platform-database';
import { USAGE_CHART_DAYS, type ChartPoint } from '../../core/charts/usage-chart-svg';
import { lastDays } from './usage-periods';
import { UsageRollupStore, type StoredUse } from './usage-rollup-store';

export interface UseWithHistory extends StoredUse {
  points: ChartPoint[];
}

/**
 * A tenant's rolled-up limits with their last 30 days, from the control plane only: a metered
 * limit's missing day used nothing (its file did not change), a level's missing day kept the
 * level of the day before.
 */
export function rolledUpHistory(db: PlatformDatabase, tenantId: string, at = Date.now()): UseWithHistory[] {
  const store = new UsageRollupStore(db);
  const days = lastDays(at, USAGE_CHART_DAYS);
  return store.usesOf(tenantId).map((use) => ({ ...use, points: historyOf(store, tenantId, use, days) }));
}

/** One limit's last days (the level limits of the workspace's usage page come from here). */
export function historyOf(store: UsageRollupStore, tenantId: string, use: Pick<StoredUse, 'key' | 'period'>, days: string[]): ChartPoint[] {
  const stored = new Map(store.daysOf(tenantId, use.key, days[0]).map((d) => [d.day, d.value]));
  let carried = use.period === '' ? (store.valueBefore(tenantId, use.key, days[0]) ?? 0) : 0;
  return days.map((day) => {
    const value = stored.get(day);
    if (use.period === '' && value !== undefined) carried = value;
    return { day, value: value ?? carried };
  });
}

/** A level limit's last `days` days as the roll-up kept them; empty when it kept none yet. */
export function levelHistory(db: PlatformDatabase, tenantId: string, key: string, days: number, at = Date.now()): ChartPoint[] {
  const store = new UsageRollupStore(db);
  const span = lastDays(at, days);
  if (!store.daysOf(tenantId, key, '').length) return [];
  return historyOf(store, tenantId, { key, period: '' }, span);
}
