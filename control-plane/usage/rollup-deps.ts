import type { ChartPoint } from '../../core/charts/usage-chart-svg';
import type { Language } from '../../core/i18n/languages';
import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import type { Entitlements, LimitKey } from '../../tenant-runtime/plan-catalogue';
import type { ControlPlane } from '../control-plane';

/** What the control plane knows of a tenant's use without opening its file. */
export interface ControlPlaneCounts {
  members: number;
  pendingInvitations: number;
}

/** A limit read from the tenant's file: its use now and, for a metered limit, its last days for the charts. */
export interface MeasuredLimit {
  key: LimitKey;
  used: number;
  limit: number | null;
  percent: number | null;
  series?: ChartPoint[];
}

/**
 * How the roll-up reads a tenant (the workspace's usage report, wired in app/): every limit's
 * use from the open file, the control plane's counts given; and the language its mails go out in.
 */
export interface TenantUsageReader {
  measure(db: TenantDatabase, entitlements: Entitlements, counts: ControlPlaneCounts, at: Date): MeasuredLimit[];
  language(db: TenantDatabase): Language;
}

export interface RollupDeps {
  platform: Pick<ControlPlane, 'config' | 'db' | 'router' | 'logger' | 'owners' | 'tenants' | 'urls' | 'planBook'>;
  reader: TenantUsageReader;
}
