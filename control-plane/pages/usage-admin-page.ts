import { z } from 'zod';
import { digitsField } from '../../core/http/url-id';
import { seriesFacts, usageChartSvg } from '../../core/charts/usage-chart-svg';
import { formatBytes } from '../../core/text/format-bytes';
import { isLimitKey, LIMITS } from '../../tenant-runtime/plan-catalogue';
import type { ControlPlane } from '../control-plane';
import type { TenantRecord } from '../tenants/tenant-record';
import { rolledUpHistory } from '../usage/usage-history';
import { UsageRollupStore } from '../usage/usage-rollup-store';

export const USAGE_PAGE_SIZE = 50;

export const usageListSchema = z.object({ page: digitsField(z.number({ error: 'must be a page number' }).int().min(1).max(100_000).default(1)) });

/** A limit's value as people read it: bytes in KB/MB/GB, counts as numbers. */
export function limitValue(key: string, value: number | null): string {
  if (value === null) return 'unlimited';
  return isLimitKey(key) && LIMITS[key].unit === 'bytes' ? formatBytes(value) : value.toLocaleString('en-US');
}

/** `/admin/usage`: every rolled-up tenant, closest to a limit first, from the control plane only. */
export function loadUsageListPage(platform: ControlPlane, filter: z.infer<typeof usageListSchema>, notice?: string) {
  const { rows, total } = new UsageRollupStore(platform.db).page((filter.page - 1) * USAGE_PAGE_SIZE, USAGE_PAGE_SIZE);
  return { title: 'Usage', rows, total, page: filter.page, pages: Math.max(1, Math.ceil(total / USAGE_PAGE_SIZE)), notice };
}

/** `/admin/usage/<slug>`: one tenant's limits, each with its chart of the last 30 days. */
export function loadTenantUsagePage(platform: ControlPlane, tenant: TenantRecord) {
  const scan = new UsageRollupStore(platform.db).scans().get(tenant.id);
  const limits = rolledUpHistory(platform.db, tenant.id).map((use) => {
    const label = isLimitKey(use.key) ? LIMITS[use.key].label : use.key;
    const facts = seriesFacts(use.points);
    return {
      ...use,
      label,
      usedText: limitValue(use.key, use.used),
      limitText: limitValue(use.key, use.limit),
      chart: usageChartSvg({
        id: `usage-${use.key}`,
        title: `${label}, last 30 days`,
        description: `Highest ${limitValue(use.key, facts.peak)} on ${facts.peakDay}; today ${limitValue(use.key, facts.last)}; limit ${limitValue(use.key, use.limit)}.`,
        points: use.points,
        limit: use.limit,
      }),
    };
  });
  return { title: `Usage of ${tenant.slug}`, tenant, limits, rolledAt: scan?.rolled_at ?? null, problem: scan?.problem ?? null };
}
