import type { Platform } from '../../app/create-platform';
import type { UserRecord } from '../../control-plane/users/user-record';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { createPersonalToken, createServiceToken } from '../../control-plane/api-tokens/create-api-token';
import { toSessionUser } from '../../control-plane/users/user-record';
import { ALL_PERMISSIONS, type Permission } from '../../tenant-runtime/permission-catalogue';

const CLIENT = { ip: '127.0.0.1', userAgent: 'jest' };

/** A personal token of the user (all scopes unless given; limited to a tenant when given). */
export function personalToken(platform: Platform, user: UserRecord, options: { scopes?: string[]; tenant?: TenantRecord; expires?: string } = {}): string {
  return createPersonalToken(
    platform,
    toSessionUser(user),
    { name: 'Test token', scopes: options.scopes ?? ALL_PERMISSIONS, tenant: options.tenant?.slug ?? '', expires_in_days: options.expires ?? '30' },
    CLIENT,
  ).token;
}

/** A service token of the tenant, made by one of its members (who must hold the scopes). */
export function serviceToken(platform: Platform, creator: UserRecord, tenant: TenantRecord, scopes: Permission[]): string {
  const grant = platform.access.grant(creator.id, tenant.id);
  if (!grant) throw new Error(`${creator.email} is not a member of ${tenant.slug}`);
  return createServiceToken(
    platform,
    { userId: creator.id, tenantId: tenant.id, permissions: grant.permissions, ip: null, userAgent: null },
    { name: 'Service', scopes, expires_in_days: '30' },
  ).token;
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
