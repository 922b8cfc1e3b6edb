import type { TenantDatabase } from '../../tenant-runtime/tenant-database';
import { LIMIT_KEYS, LIMITS, type Entitlements, type LimitKey } from '../../tenant-runtime/plan-catalogue';
import { storageUsage } from '../files/storage-usage';
import { busiestMemberInPeriod, usedInPeriod } from './usage-meter';

/**
 * What the workspace's file cannot tell: its members and pending invitations live in the
 * control plane (wired in app/, so the workspace never imports it).
 */
export interface UsageSources {
  members(tenantId: string): number;
  pendingInvitations(tenantId: string): number;
}

export interface UsageOptions {
  /** For a per-member limit: this member's use (absent: the busiest member's). */
  userId?: string;
  at?: Date;
  /** Needed for members and pending invitations. */
  sources?: UsageSources;
}

export interface LimitUse {
  key: LimitKey;
  used: number;
  /** null: unlimited. */
  limit: number | null;
  /** Of the limit, rounded down (null when unlimited; 100 or more when reached). */
  percent: number | null;
}

function fromControlPlane(opts: UsageOptions, key: LimitKey): UsageSources {
  if (!opts.sources) throw new Error(`the use of ${key} is kept in the control plane: pass its UsageSources`);
  return opts.sources;
}

/** How much of a limit the workspace uses now (in the current UTC day or month for the metered ones). */
export function currentUse(db: TenantDatabase, key: LimitKey, opts: UsageOptions = {}): number {
  switch (key) {
    case 'members':
      return fromControlPlane(opts, key).members(db.tenantId);
    case 'pending_invitations':
      return fromControlPlane(opts, key).pendingInvitations(db.tenantId);
    case 'items':
      return db.get<{ n: number }>('select count(*) as n from items')?.n ?? 0;
    case 'storage_bytes':
      return storageUsage(db).totalBytes;
    default: {
      const { metric, period, perUser } = LIMITS[key];
      if (!metric || !period) throw new Error(`${key} has no counter`);
      if (perUser && opts.userId === undefined) return busiestMemberInPeriod(db, metric, period, opts.at);
      return usedInPeriod(db, metric, period, { at: opts.at, userId: perUser ? opts.userId : undefined });
    }
  }
}

export function percentOf(used: number, limit: number | null): number | null {
  if (limit === null) return null;
  if (limit <= 0) return used > 0 ? 100 : 0;
  return Math.floor((used * 100) / limit);
}

/** Every limit with its use, its value and the share used. */
export function usageReport(db: TenantDatabase, entitlements: Entitlements, opts: UsageOptions = {}): LimitUse[] {
  return LIMIT_KEYS.map((key) => {
    const used = currentUse(db, key, opts);
    const limit = entitlements.limits[key];
    return { key, used, limit, percent: percentOf(used, limit) };
  });
}
