import { seriesFacts, usageChartSvg } from '../../core/charts/usage-chart-svg';
import { msg } from '../../core/i18n/message';
import { translatorFor } from '../../core/i18n/translator';
import type { Language } from '../../core/i18n/languages';
import { LIMITS, type LimitKey } from '../../tenant-runtime/plan-catalogue';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { formatSize } from '../files/storage-usage';
import { formatPercent } from '../../core/i18n/format-percent';
import { usageOverview, type LevelHistory } from '../usage/usage-overview';
import type { UsageSources } from '../usage/usage-report';

/** A use or a limit as the reader reads it: bytes in KB/MB (Ko/Mo in French), counts as numbers, none as "unlimited". */
export function usageValue(t: TenantRequestContext['t'], language: Language, key: LimitKey, value: number | null): string {
  if (value === null) return t('unlimited');
  return LIMITS[key].unit === 'bytes' ? formatSize(value, language) : String(value);
}

/** `/usage`: each limit with its use, its limit, the share used and a chart of the last 30 days. */
export function loadUsagePage(ctx: TenantRequestContext, sources: UsageSources, history: LevelHistory) {
  const t = translatorFor(ctx.language);
  const limits = usageOverview(ctx.db, ctx.entitlements, sources, history).map((use) => {
    const label = t(LIMITS[use.key].label);
    const facts = seriesFacts(use.points);
    const value = (n: number | null) => usageValue(t, ctx.language, use.key, n);
    return {
      ...use,
      label,
      perUser: LIMITS[use.key].perUser,
      usedText: value(use.used),
      limitText: value(use.limit),
      percentText: use.percent === null ? null : formatPercent(use.percent, ctx.language),
      chart: usageChartSvg({
        id: `usage-${use.key}`,
        title: t('{{limit}}, last 30 days', { limit: label }),
        description: t('Highest {{peak}} on {{day}}; today {{today}}; limit {{limit}}.', {
          peak: value(facts.peak),
          day: facts.peakDay,
          today: value(facts.last),
          limit: value(use.limit),
        }),
        points: use.points,
        limit: use.limit,
      }),
    };
  });
  return { title: msg('Usage'), plan: ctx.entitlements.plan, limits };
}
