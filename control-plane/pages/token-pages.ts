import type { SessionUser } from '../../core/http/request-types';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { ALL_PERMISSIONS } from '../../tenant-runtime/permission-catalogue';
import type { ControlPlane } from '../control-plane';
import type { ApiTokenListRow } from '../api-tokens/api-token-repository';
import type { CreatedToken } from '../api-tokens/create-api-token';
import { EXPIRY_CHOICES } from '../api-tokens/create-api-token';
import { PLATFORM_SCOPES, SERVICE_TOKEN_SCOPES, scopeChoices, type TokenScope } from '../api-tokens/token-scopes';

function tokenRow(row: ApiTokenListRow, now: number) {
  const state = row.revoked_at !== null ? 'revoked' : row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
  return { ...row, state, scopeList: JSON.parse(row.scopes) as string[] };
}

/** /account/tokens: the user's personal tokens, and the form (scopes, a workspace to limit to, expiry). */
export function loadAccountTokensPage(platform: ControlPlane, user: SessionUser, created?: CreatedToken) {
  const now = Date.now();
  const scopes: TokenScope[] = [...ALL_PERMISSIONS, ...(user.isSuperAdmin ? (Object.keys(PLATFORM_SCOPES) as TokenScope[]) : [])];
  return {
    title: 'API tokens',
    tokens: platform.apiTokens.listPersonal(user.id).map((t) => tokenRow(t, now)),
    tenants: platform.access.tenantsOfUser(user.id),
    scopes: scopeChoices(scopes),
    expiries: EXPIRY_CHOICES,
    created,
  };
}

/** /t/:slug/tokens: the workspace's service tokens and its members' tokens limited to it. */
export function loadTenantTokensPage(platform: ControlPlane, ctx: TenantRequestContext, created?: CreatedToken) {
  const now = Date.now();
  return {
    title: 'API tokens',
    tokens: platform.apiTokens.listForTenant(ctx.tenant.id).map((t) => tokenRow(t, now)),
    scopes: scopeChoices(SERVICE_TOKEN_SCOPES.filter((s) => ctx.can(s))),
    expiries: EXPIRY_CHOICES,
    created,
  };
}
