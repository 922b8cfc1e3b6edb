import { msg } from '../../core/i18n/message';
import { isPermission, PERMISSIONS, type Permission } from '../../tenant-runtime/permission-catalogue';

/** Scopes beyond a tenant: the super-admin API. Offered to super admins on personal tokens not limited to a tenant. */
export const PLATFORM_SCOPES = {
  'admin.tenants': msg('Manage tenants: list, create, suspend, archive, back up and restore them (super admins)'),
  'admin.users': msg('List and disable users (super admins)'),
} as const satisfies Record<string, string>;
export type PlatformScope = keyof typeof PLATFORM_SCOPES;
export type TokenScope = Permission | PlatformScope;

export function isPlatformScope(value: string): value is PlatformScope {
  return Object.prototype.hasOwnProperty.call(PLATFORM_SCOPES, value);
}

export function isTokenScope(value: string): value is TokenScope {
  return isPermission(value) || isPlatformScope(value);
}

/**
 * What a service token may hold: work on content and read the workspace. Changing the team, roles,
 * tokens or webhooks needs a person accountable for it (an invitation names who sent it), and a
 * service token outlives the member who made it (docs/decisions/023-api-tokens.md).
 */
export const SERVICE_TOKEN_SCOPES: readonly Permission[] = [
  'content.view',
  'content.create',
  'content.edit',
  'content.approve',
  'content.publish',
  'tenant.settings.view',
  'team.view',
  'usage.view',
];

/** Every scope with its sentence (a message, translated by the page), for the forms. */
export function scopeChoices(scopes: readonly TokenScope[]): Array<{ key: TokenScope; description: string }> {
  return scopes.map((key) => ({ key, description: isPlatformScope(key) ? PLATFORM_SCOPES[key] : PERMISSIONS[key] }));
}

export function parseScopes(json: string): Set<TokenScope> {
  try {
    const list = JSON.parse(json) as unknown;
    return new Set(Array.isArray(list) ? list.filter((s): s is TokenScope => typeof s === 'string' && isTokenScope(s)) : []);
  } catch {
    return new Set();
  }
}
