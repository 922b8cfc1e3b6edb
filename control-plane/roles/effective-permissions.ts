import { isPermission, type Permission } from '../../tenant-runtime/permission-catalogue';

/** A role and its ancestors may form a chain of at most this many roles (the role included). */
export const MAX_ROLE_DEPTH = 5;

/** What resolution needs of a role row. */
export interface RoleLink {
  id: number;
  parent_role_id: number | null;
  permissions: string;
}

/** A role's permissions as a set; unknown names (from an older release) are dropped. */
export function parsePermissions(json: string): Set<Permission> {
  let list: unknown;
  try {
    list = JSON.parse(json);
  } catch {
    list = [];
  }
  return new Set((Array.isArray(list) ? list : []).filter((p): p is Permission => typeof p === 'string' && isPermission(p)));
}

/**
 * The role followed by its ancestors, nearest first. Stops at a missing parent, at a role
 * already seen (a cycle written by hand into the database) and at MAX_ROLE_DEPTH, so a bad
 * row can narrow a role's permissions but never hang a request.
 */
export function roleChain<R extends RoleLink>(roleId: number, findRole: (id: number) => R | undefined): R[] {
  const chain: R[] = [];
  const seen = new Set<number>();
  let next: number | null = roleId;
  while (next !== null && !seen.has(next) && chain.length < MAX_ROLE_DEPTH) {
    const role = findRole(next);
    if (!role) break;
    seen.add(next);
    chain.push(role);
    next = role.parent_role_id;
  }
  return chain;
}

/** Effective permissions: the role's own, plus every ancestor's. */
export function effectivePermissions(roleId: number, findRole: (id: number) => RoleLink | undefined): Set<Permission> {
  const result = new Set<Permission>();
  for (const role of roleChain(roleId, findRole)) for (const p of parsePermissions(role.permissions)) result.add(p);
  return result;
}
