import { msg, nested } from '../../core/i18n/message';
import { isLimitKey, LIMITS } from '../../tenant-runtime/plan-catalogue';
import type { PlatformDatabase } from '../db/platform-database';
import type { RollupDeps } from './rollup-deps';
import type { StoredUse } from './usage-rollup-store';

/** The shares of a limit that fire an alert, in percent. */
export const ALERT_THRESHOLDS = [80, 100] as const;

export interface FiredAlert {
  id: number;
  tenantId: string;
  key: string;
  threshold: number;
  period: string;
  used: number;
  limit: number;
}

export interface AlertRow {
  id: number;
  tenant_id: string;
  slug: string;
  name: string;
  limit_key: string;
  threshold: number;
  period: string;
  used: number;
  limit_value: number;
  fired_at: number;
  mailed_at: number | null;
}

/** The period an alert counts in: a metered limit's day or month, or 'level' while a level stays over the threshold. */
function alertPeriod(use: StoredUse): string {
  return use.period === '' ? 'level' : use.period;
}

/**
 * `usage_alerts` (platform migration 0031). Recording an alert is claiming it: the row's unique
 * key (tenant, limit, threshold, period) lets exactly one pass insert it, whichever process and
 * however many run at once, and only that pass sends the mail.
 */
export class UsageAlertBook {
  constructor(private readonly db: PlatformDatabase) {}

  /** In one BEGIN IMMEDIATE transaction: the thresholds crossed now (new rows only), and levels back under a threshold re-armed. */
  record(tenantId: string, uses: StoredUse[], at: number): FiredAlert[] {
    return this.db.write(() => {
      const fired: FiredAlert[] = [];
      for (const use of uses) {
        for (const threshold of ALERT_THRESHOLDS) {
          const over = use.limit !== null && use.percent !== null && use.percent >= threshold;
          if (over && use.limit !== null) {
            const period = alertPeriod(use);
            const inserted = this.db.run(
              `insert into usage_alerts (tenant_id, limit_key, threshold, period, used, limit_value, fired_at) values (?, ?, ?, ?, ?, ?, ?)
                 on conflict (tenant_id, limit_key, threshold, period) do nothing`,
              [tenantId, use.key, threshold, period, use.used, use.limit, at],
            );
            if (inserted.changes === 1)
              fired.push({ id: Number(inserted.lastInsertRowid), tenantId, key: use.key, threshold, period, used: use.used, limit: use.limit });
          } else if (use.period === '') {
            // Back under the threshold: the level's next crossing is a new alert.
            this.db.run("update usage_alerts set period = 'ended-' || id where tenant_id = ? and limit_key = ? and threshold = ? and period = 'level'", [
              tenantId,
              use.key,
              threshold,
            ]);
          }
        }
      }
      return fired;
    });
  }

  markMailed(id: number, at: number): void {
    this.db.run('update usage_alerts set mailed_at = ? where id = ?', [at, id]);
  }

  /** The newest alerts of every tenant (the dashboard). */
  recent(limit = 20): AlertRow[] {
    return this.db.all<AlertRow>(
      `select a.*, t.slug, coalesce(t.display_name, t.name) as name from usage_alerts a join tenants t on t.id = a.tenant_id
        where t.status <> 'purged' order by a.fired_at desc, a.id desc limit ?`,
      [limit],
    );
  }
}

/** The owners' mail for an alert, as messages translated for each owner. */
export function alertMail(alert: FiredAlert, workspace: string, label: string, usageUrl: string): { subject: string; lines: string[] } {
  const values = { workspace, limit: nested(label), used: alert.used, max: alert.limit, threshold: alert.threshold };
  return {
    subject:
      alert.threshold >= 100
        ? msg('{{workspace}} has reached its limit for {{limit}}', values)
        : msg('{{workspace}} is at {{threshold}}% of its limit for {{limit}}', values),
    lines: [
      msg('{{limit}}: {{used}} of {{max}} used ({{threshold}}% or more).', values),
      alert.threshold >= 100
        ? msg('Actions that need more are refused until the use drops or the limit is raised.')
        : msg('Actions will be refused once the limit is reached.'),
      msg('To raise the limit, ask the administrators of this platform. Usage: {{url}}', { url: usageUrl }),
    ],
  };
}

/**
 * Records the thresholds a tenant's figures cross and mails its owners once per new alert, in
 * each owner's language (their own, else the workspace's, read from its file only when there
 * is mail to send). A mail that fails is logged; the alert stays recorded (mailed_at null).
 */
export async function fireUsageAlerts(
  deps: RollupDeps,
  tenant: { id: string; slug: string; name: string },
  uses: StoredUse[],
  at: number,
): Promise<FiredAlert[]> {
  const book = new UsageAlertBook(deps.platform.db);
  const fired = book.record(tenant.id, uses, at);
  if (!fired.length) return fired;
  const lease = await deps.platform.router.acquire(tenant.id).catch(() => undefined);
  const language = lease ? deps.reader.language(lease.db) : 'en';
  lease?.release();
  for (const alert of fired) {
    const mail = alertMail(
      alert,
      tenant.name,
      isLimitKey(alert.key) ? LIMITS[alert.key].label : alert.key,
      deps.platform.urls.publicTenantUrl(tenant.slug, '/usage'),
    );
    const sent = await deps.platform.owners.notifyOwners(tenant.id, language, mail);
    if (sent > 0) book.markMailed(alert.id, Date.now());
  }
  return fired;
}
