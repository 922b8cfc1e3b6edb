import type { Platform } from '../../app/create-platform';
import type { UserRecord } from '../../control-plane/users/user-record';
import type { TenantRecord } from '../../control-plane/tenants/tenant-record';
import { createPersonalToken, createServiceToken } from '../../control-plane/api-tokens/create-api-token';
import { toSessionUser } from '../../control-plane/users/user-record';
import { newApiToken, newTokenId } from '../../control-plane/api-tokens/token-secret';
import { addMember, makeUser } from './factories';
import { ALL_PERMISSIONS, type Permission } from '../../tenant-runtime/permission-catalogue';

const CLIENT = { ip: '127.0.0.1', userAgent: 'jest' };
/** Each token a name of its own: the same one asked for twice in a row is taken as a double click. */
let made = 0;

function issued(token: { token: string } | undefined): string {
  if (!token) throw new Error('the token was taken as a repeat of the one just made');
  return token.token;
}

/** A personal token of the user (all scopes unless given; limited to a tenant when given). */
export function personalToken(platform: Platform, user: UserRecord, options: { scopes?: string[]; tenant?: TenantRecord; expires?: string } = {}): string {
  return issued(
    createPersonalToken(
      platform,
      toSessionUser(user),
      { name: `Test token ${++made}`, scopes: options.scopes ?? ALL_PERMISSIONS, tenant: options.tenant?.slug ?? '', expires_in_days: options.expires ?? '30' },
      CLIENT,
    ),
  );
}

/** A personal token (all scopes) of a new owner of the tenant: an API client with every right there. */
export async function ownerToken(platform: Platform, tenant: TenantRecord): Promise<string> {
  const owner = await makeUser(platform);
  await addMember(platform, owner, tenant, 'owner');
  return personalToken(platform, owner);
}

/** A service token of the tenant, made by one of its members (who must hold the scopes). */
export function serviceToken(platform: Platform, creator: UserRecord, tenant: TenantRecord, scopes: Permission[]): string {
  const grant = platform.access.grant(creator.id, tenant.id);
  if (!grant) throw new Error(`${creator.email} is not a member of ${tenant.slug}`);
  return issued(
    createServiceToken(
      platform,
      { userId: creator.id, tenantId: tenant.id, permissions: grant.permissions, ip: null, userAgent: null },
      { name: `Service ${++made}`, scopes, expires_in_days: '30' },
    ),
  );
}

/** A token stored as made at `at` (lists order by that instant, which many may share), named `name`. */
export function plantToken(
  platform: Platform,
  token: { name: string; kind: 'personal' | 'service'; user: UserRecord; tenant: TenantRecord | null; at: number },
): void {
  const secret = newApiToken();
  platform.apiTokens.insert({
    id: newTokenId(),
    kind: token.kind,
    name: token.name,
    user_id: token.kind === 'personal' ? token.user.id : null,
    created_by: token.user.id,
    tenant_id: token.tenant?.id ?? null,
    scopes: '["content.view"]',
    token_hash: secret.hash,
    hint: secret.hint,
    expires_at: null,
    created_at: token.at,
  });
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
