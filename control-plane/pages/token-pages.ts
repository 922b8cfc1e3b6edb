import type { SessionUser } from '../../core/http/request-types';
import { msg } from '../../core/i18n/message';
import { zonedClock } from '../../core/time/zoned-clock';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { ALL_PERMISSIONS } from '../../tenant-runtime/permission-catalogue';
import type { ControlPlane } from '../control-plane';
import type { ApiTokenListRow } from '../api-tokens/api-token-repository';
import type { CreatedToken } from '../api-tokens/create-api-token';
import { EXPIRY_CHOICES } from '../api-tokens/create-api-token';
import { PLATFORM_SCOPES, SERVICE_TOKEN_SCOPES, scopeChoices, type TokenScope } from '../api-tokens/token-scopes';

/** A token's state, and the word the list shows for it. */
const TOKEN_STATES = { active: msg('Active'), revoked: msg('Revoked'), expired: msg('Expired') } as const;

function tokenRow(row: ApiTokenListRow, now: number) {
  const state: keyof typeof TOKEN_STATES = row.revoked_at !== null ? 'revoked' : row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
  return { ...row, state, stateLabel: TOKEN_STATES[state], scopeList: JSON.parse(row.scopes) as string[] };
}

/** /account/tokens: the user's personal tokens, and the form (scopes, a workspace to limit to, expiry). */
export function loadAccountTokensPage(platform: ControlPlane, user: SessionUser, created?: CreatedToken) {
  const now = Date.now();
  const scopes: TokenScope[] = [...ALL_PERMISSIONS, ...(user.isSuperAdmin ? (Object.keys(PLATFORM_SCOPES) as TokenScope[]) : [])];
  return {
    title: msg('API tokens'),
    tokens: platform.apiTokens.listPersonal(user.id).map((t) => tokenRow(t, now)),
    tenants: platform.access.tenantsOfUser(user.id),
    scopes: scopeChoices(scopes),
    expiries: EXPIRY_CHOICES,
    created,
  };
}

/** /t/:slug/tokens: the workspace's service tokens and its members' tokens limited to it, their times in the workspace's zone. */
export function loadTenantTokensPage(platform: ControlPlane, ctx: TenantRequestContext, created?: CreatedToken) {
  const now = Date.now();
  return {
    title: msg('API tokens'),
    tokens: platform.apiTokens.listForTenant(ctx.tenant.id).map((t) => tokenRow(t, now)),
    scopes: scopeChoices(SERVICE_TOKEN_SCOPES.filter((s) => ctx.can(s))),
    expiries: EXPIRY_CHOICES,
    created,
    when: zonedClock(ctx.branding.timeZone).format,
  };
}
