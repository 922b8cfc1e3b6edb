import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { LIMITS, type Entitlements } from '../../tenant-runtime/plan-catalogue';
import type { Language } from '../../core/i18n/languages';
import { loadTenantSettings } from '../settings/tenant-settings';
import { dailySeries } from './usage-meter';
import { USAGE_CHART_DAYS } from '../../core/charts/usage-chart-svg';
import { usageReport } from './usage-report';

/**
 * What the control plane's roll-up reads from an open tenant file (wired in app/): the usage
 * report with the control plane's counts, each metered limit's last 30 days, and the
 * workspace's language (for the owners' alert mails).
 */
export const rollupReader = {
  measure(db: TenantDatabase, entitlements: Entitlements, counts: { members: number; pendingInvitations: number }, at: Date) {
    const sources = { members: () => counts.members, pendingInvitations: () => counts.pendingInvitations };
    return usageReport(db, entitlements, { sources, at }).map((use) => {
      const { metric } = LIMITS[use.key];
      return metric ? { ...use, series: dailySeries(db, metric, USAGE_CHART_DAYS, at) } : use;
    });
  },
  language(db: TenantDatabase): Language {
    return loadTenantSettings(db, '').language;
  },
};
