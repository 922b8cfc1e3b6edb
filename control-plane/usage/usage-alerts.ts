import { msg, nested, percent } from '../../core/i18n/message';
import { isLimitKey, LIMITS } from '../../tenant-runtime/plan-catalogue';
import type { PlatformDatabase } from '../db/platform-database';
import type { RollupDeps } from './rollup-deps';
import type { StoredUse } from './usage-rollup-store';
import { pausePoint } from '../../core/process/pause-point';
import { limitClause } from '../../core/db/sql-limit';

/** The shares of a limit that fire an alert, in percent. */
export const ALERT_THRESHOLDS = [80, 100] as const;

/** How long a pass that claimed an alert's mail has to send it before another pass may. */
export const MAIL_CLAIM_MS = 10 * 60_000;
/** How long an alert whose mail did not go out is tried again (each roll-up pass). */
export const MAIL_RETRY_MS = 24 * 3600_000;

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
 * however many run at once. Its mail is sent at least once: a pass claims it (`mailed_at` holds
 * minus the claim's time), sends, then stores when it went out. A pass killed between recording
 * and sending leaves the mail unclaimed, or claimed for at most MAIL_CLAIM_MS; a later pass sends
 * it (a kill after sending and before storing it sends it twice rather than never).
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

  /** Takes the alert's mail for this pass: false when it went out already or another pass holds it. */
  claimMail(id: number, at: number): boolean {
    return (
      this.db.run('update usage_alerts set mailed_at = ? where id = ? and (mailed_at is null or (mailed_at < 0 and mailed_at >= ?))', [
        -at,
        id,
        -(at - MAIL_CLAIM_MS),
      ]).changes === 1
    );
  }

  markMailed(id: number, at: number): void {
    this.db.run('update usage_alerts set mailed_at = ? where id = ?', [at, id]);
  }

  /** A claimed mail that did not go out (no owner reached): the next pass tries again. */
  releaseMail(id: number): void {
    this.db.run('update usage_alerts set mailed_at = null where id = ? and mailed_at < 0', [id]);
  }

  /** Alerts of live tenants fired in the last MAIL_RETRY_MS whose mail has not gone out and is not held by a pass. */
  unmailed(at: number): Array<FiredAlert & { slug: string; name: string }> {
    return this.db
      .all<AlertRow>(
        `select a.*, t.slug, coalesce(t.display_name, t.name) as name from usage_alerts a join tenants t on t.id = a.tenant_id
          where t.status = 'active' and a.fired_at >= ? and (a.mailed_at is null or (a.mailed_at < 0 and a.mailed_at >= ?))
          order by a.tenant_id, a.id`,
        [at - MAIL_RETRY_MS, -(at - MAIL_CLAIM_MS)],
      )
      .map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        slug: r.slug,
        name: r.name,
        key: r.limit_key,
        threshold: r.threshold,
        period: r.period,
        used: r.used,
        limit: r.limit_value,
      }));
  }

  /** The newest alerts of every tenant (the dashboard). */
  recent(limit = 20): AlertRow[] {
    return this.db.all<AlertRow>(
      `select a.*, t.slug, coalesce(t.display_name, t.name) as name from usage_alerts a join tenants t on t.id = a.tenant_id
        where t.status <> 'purged' order by a.fired_at desc, a.id desc ${limitClause(limit)}`,
    );
  }
}

/** The owners' mail for an alert, as messages translated for each owner. */
export function alertMail(alert: FiredAlert, workspace: string, label: string, usageUrl: string): { subject: string; lines: string[] } {
  const values = { workspace, limit: nested(label), used: alert.used, max: alert.limit, threshold: percent(alert.threshold) };
  return {
    subject:
      alert.threshold >= 100
        ? msg('{{workspace}} has reached its limit for {{limit}}', values)
        : msg('{{workspace}} is at {{threshold}} of its limit for {{limit}}', values),
    lines: [
      msg('{{limit}}: {{used}} of {{max}} used ({{threshold}} or more).', values),
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
 * is mail to send). A mail that fails or reaches nobody stays to be sent (mailUnsentAlerts).
 */
export async function fireUsageAlerts(
  deps: RollupDeps,
  tenant: { id: string; slug: string; name: string },
  uses: StoredUse[],
  at: number,
): Promise<FiredAlert[]> {
  const fired = new UsageAlertBook(deps.platform.db).record(tenant.id, uses, at);
  if (!fired.length) return fired;
  pausePoint('usage-alerts:recorded');
  await mailAlerts(deps, tenant, fired, at);
  return fired;
}

/**
 * Sends the mail of alerts recorded earlier that did not go out (a pass killed after recording
 * them, a mail that failed, no owner then), for alerts fired in the last MAIL_RETRY_MS. Run by
 * every roll-up pass; returns how many mails went out.
 */
export async function mailUnsentAlerts(deps: RollupDeps, at: number): Promise<number> {
  const waiting = new UsageAlertBook(deps.platform.db).unmailed(at);
  let sent = 0;
  for (const tenantId of new Set(waiting.map((a) => a.tenantId))) {
    const alerts = waiting.filter((a) => a.tenantId === tenantId);
    sent += await mailAlerts(deps, { id: tenantId, slug: alerts[0].slug, name: alerts[0].name }, alerts, at);
  }
  return sent;
}

/** Claims, sends and marks each alert's mail to the tenant's owners; returns how many went out. */
async function mailAlerts(deps: RollupDeps, tenant: { id: string; slug: string; name: string }, alerts: FiredAlert[], at: number): Promise<number> {
  const book = new UsageAlertBook(deps.platform.db);
  const claimed = alerts.filter((alert) => book.claimMail(alert.id, at));
  if (!claimed.length) return 0;
  const lease = await deps.platform.router.acquire(tenant.id).catch(() => undefined);
  const language = lease ? deps.reader.language(lease.db) : 'en';
  lease?.release();
  let mailed = 0;
  for (const alert of claimed) {
    const mail = alertMail(
      alert,
      tenant.name,
      isLimitKey(alert.key) ? LIMITS[alert.key].label : alert.key,
      deps.platform.urls.publicTenantUrl(tenant.slug, '/usage'),
    );
    const sent = await deps.platform.owners.notifyOwners(tenant.id, language, mail).catch(() => 0);
    if (sent > 0) {
      book.markMailed(alert.id, Date.now());
      mailed++;
    } else book.releaseMail(alert.id);
  }
  return mailed;
}
