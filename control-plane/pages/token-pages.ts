import { z } from 'zod';
import type { SessionUser } from '../../core/http/request-types';
import { pagePosition } from '../../core/http/page-query';
import { afterQuery } from '../../core/http/local-path';
import { msg } from '../../core/i18n/message';
import { zonedClock } from '../../core/time/zoned-clock';
import type { TenantRequestContext } from '../../tenant-runtime/tenant-request-context';
import { ALL_PERMISSIONS } from '../../tenant-runtime/permission-catalogue';
import type { ControlPlane } from '../control-plane';
import type { ApiTokenListRow } from '../api-tokens/api-token-repository';
import type { CreatedToken } from '../api-tokens/create-api-token';
import { EXPIRY_CHOICES } from '../api-tokens/create-api-token';
import { PLATFORM_SCOPES, SERVICE_TOKEN_SCOPES, scopeChoices, type TokenScope } from '../api-tokens/token-scopes';
import { parseTokenCursor, tokenCursor, type TokenPosition } from '../api-tokens/token-position';

/** How many tokens a tokens page lists at once, newest first; the older ones are a link away. */
export const TOKENS_PAGE_SIZE = 50;

/** Where the list starts: `?after=<cursor>` from its Next link (a bad value shows the first page). */
const pageSchema = z.object({ after: pagePosition(parseTokenCursor) });

/** A token's state, and the word the list shows for it. */
const TOKEN_STATES = { active: msg('Active'), revoked: msg('Revoked'), expired: msg('Expired') } as const;

function tokenRow(row: ApiTokenListRow, now: number) {
  const state: keyof typeof TOKEN_STATES = row.revoked_at !== null ? 'revoked' : row.expires_at !== null && row.expires_at <= now ? 'expired' : 'active';
  return { ...row, state, stateLabel: TOKEN_STATES[state], scopeList: JSON.parse(row.scopes) as string[] };
}

/** A page of tokens from the `TOKENS_PAGE_SIZE + 1` a list read: its rows, and links to the older ones and back to the newest. */
function tokensPage(read: (limit: number, after: TokenPosition | undefined) => ApiTokenListRow[], query: Record<string, unknown>) {
  const shownFrom = pageSchema.parse(query).after;
  const after = shownFrom?.position;
  const rows = read(TOKENS_PAGE_SIZE + 1, after);
  const shown = rows.slice(0, TOKENS_PAGE_SIZE);
  const now = Date.now();
  return {
    tokens: shown.map((t) => tokenRow(t, now)),
    nextPage: rows.length > TOKENS_PAGE_SIZE ? tokenCursor(shown[shown.length - 1]) : undefined,
    firstPage: after !== undefined,
    // This page's query, which its revoke forms send back as `return`: the revocation comes back here.
    pageQuery: afterQuery(shownFrom?.cursor),
  };
}

/** /account/tokens: a page of the user's personal tokens, and the form (scopes, a workspace to limit to, expiry). */
export function loadAccountTokensPage(platform: ControlPlane, user: SessionUser, created?: CreatedToken, query: Record<string, unknown> = {}) {
  const scopes: TokenScope[] = [...ALL_PERMISSIONS, ...(user.isSuperAdmin ? (Object.keys(PLATFORM_SCOPES) as TokenScope[]) : [])];
  return {
    title: msg('API tokens'),
    ...tokensPage((limit, after) => platform.apiTokens.listPersonal(user.id, limit, after), query),
    tenants: platform.access.tenantsOfUser(user.id),
    scopes: scopeChoices(scopes),
    expiries: EXPIRY_CHOICES,
    created,
  };
}

/** /t/:slug/tokens: a page of the workspace's service tokens and its members' tokens limited to it, their times in the workspace's zone. */
export function loadTenantTokensPage(platform: ControlPlane, ctx: TenantRequestContext, created?: CreatedToken, query: Record<string, unknown> = {}) {
  return {
    title: msg('API tokens'),
    ...tokensPage((limit, after) => platform.apiTokens.listForTenant(ctx.tenant.id, limit, after), query),
    scopes: scopeChoices(SERVICE_TOKEN_SCOPES.filter((s) => ctx.can(s))),
    expiries: EXPIRY_CHOICES,
    created,
    when: zonedClock(ctx.branding.timeZone).format,
  };
}
