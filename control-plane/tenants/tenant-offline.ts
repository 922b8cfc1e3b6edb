import { msg } from '../../core/i18n/message';
import { TenantUnavailableError } from '../../core/errors/tenant-unavailable-errors';
import type { TenantRef } from '../../tenant-runtime/tenant-request-context';
import type { AccessCache } from './access-cache';

/** Seconds a member is told to wait while their workspace is offline for a restore or an import. */
export const OFFLINE_RETRY_AFTER_SECONDS = 5;

/** The 503 (with Retry-After) for a tenant in maintenance; undefined for any other status. */
export function maintenanceAnswer(tenant: Pick<TenantRef, 'id' | 'status'>): TenantUnavailableError | undefined {
  return tenant.status === 'maintenance'
    ? new TenantUnavailableError(msg('This workspace is being restored and will be back in a few seconds. Please try again shortly.'), {
        tenantId: tenant.id,
        retryAfterSeconds: OFFLINE_RETRY_AFTER_SECONDS,
      })
    : undefined;
}

/**
 * Members of a tenant in maintenance learn it is coming back (the 503); everyone else, and every
 * tenant not in maintenance, gets undefined: the caller answers as it would (a 404 for outsiders).
 */
export function offlineForMember(access: AccessCache, userId: string, tenant: Pick<TenantRef, 'id' | 'status'>): TenantUnavailableError | undefined {
  return tenant.status === 'maintenance' && access.grant(userId, tenant.id) ? maintenanceAnswer(tenant) : undefined;
}
